import Foundation
import Layers

/// Derived rainfall values of one site at one time.
public struct RainMeasures: Sendable, Hashable {
    /// Sum of readings in (t − 60 min, t].
    public var sum60m: Double
    /// Sum of readings in (t − 24 h, t].
    public var sum24h: Double
    /// Sum since the end of the last dry spell (0 once the rain has stopped for the dry spell).
    public var eventTotal: Double

    public init(sum60m: Double = 0, sum24h: Double = 0, eventTotal: Double = 0) {
        self.sum60m = sum60m; self.sum24h = sum24h; self.eventTotal = eventTotal
    }

    /// The value a threshold is checked against.
    public func value(_ m: RainMeasure) -> Double {
        switch m {
        case .sum60m: sum60m
        case .sum24h: sum24h
        case .eventTotal: eventTotal
        }
    }
}

/// Rolling sums and event totals over one site's readings, sorted by time. Missing values count as
/// no rain in sums (they are never 0 in the store). An event (一連の雨) is a run of rainy readings in
/// which no two consecutive ones are more than `dryHours` apart; it ends when no rain has fallen for
/// more than `dryHours`.
public struct RainSeries: Sendable {
    let times: [Int64]
    let values: [Double]
    /// prefix[i] = sum of values[0..<i].
    let prefix: [Double]
    /// For each index, the index of the first rainy reading of its event (for rainy readings).
    let eventStart: [Int]
    let dry: Int64

    /// `readings` must be one site's, sorted by time, one per time.
    public init(_ readings: [Reading], dryHours: Int) {
        times = readings.map(\.observedAt)
        values = readings.map { max(0, $0.value ?? 0) }
        var p = [0.0]; p.reserveCapacity(values.count + 1)
        for v in values { p.append(p[p.count - 1] + v) }
        prefix = p
        dry = Int64(dryHours) * 3600
        var starts = [Int](repeating: 0, count: values.count)
        var lastRain = -1
        for i in values.indices where values[i] > 0 {
            starts[i] = (lastRain >= 0 && times[i] - times[lastRain] <= dry) ? starts[lastRain] : i
            lastRain = i
        }
        eventStart = starts
    }

    /// Number of readings at or before `t`.
    func upper(_ t: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi { let mid = (lo + hi) / 2; if times[mid] <= t { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// Sum of readings in (t − seconds, t].
    public func sum(endingAt t: Int64, seconds: Int64) -> Double {
        let s = prefix[upper(t)] - prefix[upper(t - seconds)]
        return (s * 1000).rounded() / 1000   // sums of 0.5 mm steps: no float dust
    }

    /// The event total at `t`: 0 when the last rain is more than the dry spell before `t`.
    public func eventTotal(at t: Int64) -> Double {
        var k = upper(t) - 1
        while k >= 0 && values[k] <= 0 { k -= 1 }
        guard k >= 0, t - times[k] <= dry else { return 0 }
        let s = prefix[k + 1] - prefix[eventStart[k]]
        return (s * 1000).rounded() / 1000
    }

    /// All derived values at `t`.
    public func measures(at t: Int64) -> RainMeasures {
        RainMeasures(sum60m: sum(endingAt: t, seconds: 3600), sum24h: sum(endingAt: t, seconds: 86400), eventTotal: eventTotal(at: t))
    }
}

/// Times as JST text (the city's clock) and back.
public enum RainTime {
    static let jstOffset: Int64 = 9 * 3600

    /// `2026-11-20T10:00:00+09:00` for an epoch second.
    public static func jst(_ t: Int64) -> String {
        let local = t + jstOffset
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secs = local - days * 86400
        let date = CivilDate(daysSince1970: Int(days))
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date.iso)T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))+09:00"
    }

    /// Epoch seconds from ISO 8601 with an offset (`2026-11-20T10:00:00+09:00`, `…Z`), or a JST date
    /// (`2026-11-20`, its midnight), or nil.
    public static func parse(_ s: String) -> Int64? {
        let s = s.trimmingCharacters(in: .whitespaces)
        if s.count == 10, let d = try? Date(s + "T00:00:00+09:00", strategy: .iso8601) { return Int64(d.timeIntervalSince1970) }
        guard let d = try? Date(s, strategy: .iso8601) else { return nil }
        return Int64(d.timeIntervalSince1970)
    }
}
