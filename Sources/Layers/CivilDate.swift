/// A calendar date from a count of days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's
/// civil-from-days), for dates formatted on hot paths and in any time zone without Calendar or String(format:).
public struct CivilDate: Equatable, Sendable {
    public let year: Int, month: Int, day: Int
    /// 0 Sunday … 6 Saturday.
    public let weekday: Int

    /// The date `n` days after 1970-01-01 (negative: before).
    public init(daysSince1970 n: Int) {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        weekday = ((n % 7) + 11) % 7   // 1970-01-01 was a Thursday
    }

    /// YYYY-MM-DD.
    public var iso: String { "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))" }

    /// `v` in decimal, zero-padded to `width` digits.
    public static func padded(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

