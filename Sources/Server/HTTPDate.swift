import Foundation
import Layers
import Synchronization

/// The HTTP `Date` header value (RFC 9110 IMF-fixdate), made once a second.
enum HTTPDate {
    private static let cache = Mutex<(second: Int, text: String)>((Int.min, ""))
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Now, e.g. `Tue, 08 Dec 2026 00:27:02 GMT`.
    static func now() -> String {
        let second = Int(Date().timeIntervalSince1970.rounded(.down))
        return cache.withLock { c in
            if c.second != second { c = (second, string(forSecondsSince1970: second)) }
            return c.text
        }
    }

    static func string(forSecondsSince1970 t: Int) -> String {
        let days = Int((Double(t) / 86400).rounded(.down)), rest = t - days * 86400
        let d = CivilDate(daysSince1970: days)
        let p = CivilDate.padded
        return "\(weekdays[d.weekday]), \(p(d.day, 2)) \(months[d.month - 1]) \(d.year) \(p(rest / 3600, 2)):\(p(rest / 60 % 60, 2)):\(p(rest % 60, 2)) GMT"
    }
}
