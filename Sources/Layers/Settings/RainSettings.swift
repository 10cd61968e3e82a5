import Foundation

/// Settings of the live rain-gauge service.
public struct RainSettings: Sendable, Codable, Equatable {
    /// A gauge with no reading for this many minutes is shown as stale.
    public var staleAfterMinutes: Int
    /// An event (一連の雨) ends after this many dry hours.
    public var eventDryHours: Int
    /// JMA's words for hourly intensity (60-minute sum), lowest first.
    public var intensity: [RainThreshold]
    /// The city's own alert levels, on any derived measure.
    public var alertLevels: [RainThreshold]

    public init(staleAfterMinutes: Int = 30, eventDryHours: Int = 6, intensity: [RainThreshold] = RainThreshold.jmaIntensity,
                alertLevels: [RainThreshold] = RainThreshold.cityDefaults) {
        self.staleAfterMinutes = staleAfterMinutes; self.eventDryHours = eventDryHours
        self.intensity = intensity; self.alertLevels = alertLevels
    }

    enum CodingKeys: String, CodingKey {
        case staleAfterMinutes = "stale_after_minutes", eventDryHours = "event_dry_hours"
        case intensity, alertLevels = "alert_levels"
    }

    public init(from decoder: any Decoder) throws {
        let d = RainSettings()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        staleAfterMinutes = try c.value(.staleAfterMinutes, or: d.staleAfterMinutes)
        eventDryHours = try c.value(.eventDryHours, or: d.eventDryHours)
        intensity = try c.value(.intensity, or: d.intensity)
        alertLevels = try c.value(.alertLevels, or: d.alertLevels)
    }

    /// Every threshold whose crossing records an alert event: the intensity words, then the city's levels.
    public var thresholds: [RainThreshold] { intensity + alertLevels }
}

/// A derived rainfall value a threshold is checked against.
public enum RainMeasure: String, Sendable, Codable, CaseIterable {
    /// The rolling 60-minute sum (時間雨量).
    case sum60m = "sum_60m"
    /// The rolling 24-hour sum.
    case sum24h = "sum_24h"
    /// The total since the last dry spell (一連の雨量).
    case eventTotal = "event_total"
}

/// A rainfall threshold: crossing it upward records an alert event.
public struct RainThreshold: Sendable, Codable, Equatable {
    /// Stable id used in alert records, e.g. `jma-30` or `city-caution`.
    public var id: String
    /// What residents read, e.g. 激しい雨.
    public var label: String
    public var measure: RainMeasure
    /// The threshold in mm (reached when the measure is at least this).
    public var mm: Double

    public init(id: String, label: String, measure: RainMeasure = .sum60m, mm: Double) {
        self.id = id; self.label = label; self.measure = measure; self.mm = mm
    }

    enum CodingKeys: String, CodingKey { case id, label, measure, mm }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mm = try c.decode(Double.self, forKey: .mm)
        label = try c.decode(String.self, forKey: .label)
        measure = try c.value(.measure, or: .sum60m)
        id = try c.value(.id, or: "\(measure == .sum60m ? "jma" : measure.rawValue)-\(Int(mm))")
    }

    /// JMA's hourly intensity words (雨の強さと降り方).
    public static let jmaIntensity: [RainThreshold] = [
        .init(id: "jma-10", label: "やや強い雨", mm: 10), .init(id: "jma-20", label: "強い雨", mm: 20),
        .init(id: "jma-30", label: "激しい雨", mm: 30), .init(id: "jma-50", label: "非常に激しい雨", mm: 50),
        .init(id: "jma-80", label: "猛烈な雨", mm: 80),
    ]

    /// Example city levels (shipped in settings.yaml; a city sets its own).
    public static let cityDefaults: [RainThreshold] = [
        .init(id: "city-caution", label: "注意", measure: .sum24h, mm: 80),
        .init(id: "city-warning", label: "警戒", measure: .eventTotal, mm: 150),
        .init(id: "city-danger", label: "厳重警戒", measure: .eventTotal, mm: 250),
    ]
}
