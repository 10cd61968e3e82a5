/// A naive reference for derived rainfall, computed differently from the store: sums by scanning
/// every reading, event totals by walking forward in time and resetting after a dry spell.
public struct RainReference: Sendable {
    let points: [(Int64, Double?)]
    let dry: Int64

    /// `points`: (epoch seconds, value or nil for missing), any order.
    public init(_ points: [(Int64, Double?)], dry: Int64) {
        self.points = points.sorted { $0.0 < $1.0 }; self.dry = dry
    }

    /// Sum of values in (t − seconds, t].
    public func sum(_ t: Int64, _ seconds: Int64) -> Double {
        points.filter { $0.0 > t - seconds && $0.0 <= t }.reduce(0) { $0 + ($1.1 ?? 0) }
    }

    /// Total since the last dry spell longer than `dry`; 0 once it has been dry that long at `t`.
    public func event(_ t: Int64) -> Double {
        var total = 0.0
        var lastRain: Int64?
        for (time, value) in points where time <= t {
            guard let v = value, v > 0 else { continue }
            if let l = lastRain, time - l > dry { total = 0 }
            total += v; lastRain = time
        }
        guard let l = lastRain, t - l <= dry else { return 0 }
        return total
    }
}
