import Foundation

/// Settings of the live rain-gauge service.
public struct RainSettings: Sendable, Codable, Equatable {
    /// A gauge with no reading for this many minutes is shown as stale.
    public var staleAfterMinutes: Int
    /// An event (一連の雨) ends after this many dry hours.
    public var eventDryHours: Int

    public init(staleAfterMinutes: Int = 30, eventDryHours: Int = 6) {
        self.staleAfterMinutes = staleAfterMinutes; self.eventDryHours = eventDryHours
    }

    enum CodingKeys: String, CodingKey {
        case staleAfterMinutes = "stale_after_minutes", eventDryHours = "event_dry_hours"
    }

    public init(from decoder: any Decoder) throws {
        let d = RainSettings()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        staleAfterMinutes = try c.value(.staleAfterMinutes, or: d.staleAfterMinutes)
        eventDryHours = try c.value(.eventDryHours, or: d.eventDryHours)
    }
}
