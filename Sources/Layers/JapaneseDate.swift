import Foundation

/// Parses the date forms Japanese municipal ledgers use into ISO `yyyy-MM-dd`:
/// era dates (令和5年4月1日, 令和元年5月1日, R5.4.1, H27.4.1, S50.3.31, also with `/` or `-`),
/// Western dates (2023-04-01, 2023/4/1, 2023年4月1日, 20230401). Returns nil for anything else,
/// including impossible dates (2月30日) and dates before an era began.
public enum JapaneseDate {
    /// An era: its names and the Gregorian date of its first day.
    struct Era { let names: [String]; let startYear: Int; let startMonth: Int; let startDay: Int; let endYear: Int }

    static let eras: [Era] = [
        Era(names: ["令和", "R", "r"], startYear: 2019, startMonth: 5, startDay: 1, endYear: 9999),
        Era(names: ["平成", "H", "h"], startYear: 1989, startMonth: 1, startDay: 8, endYear: 2019),
        Era(names: ["昭和", "S", "s"], startYear: 1926, startMonth: 12, startDay: 25, endYear: 1989),
        Era(names: ["大正", "T", "t"], startYear: 1912, startMonth: 7, startDay: 30, endYear: 1926),
        Era(names: ["明治", "M", "m"], startYear: 1868, startMonth: 1, startDay: 25, endYear: 1912),
    ]

    /// The ISO date, or nil when the text is not a date.
    public static func parse(_ raw: String) -> String? {
        if let iso = plainISO(raw) { return iso }
        let text = normalise(raw)
        if text.isEmpty { return nil }
        for era in eras {
            for name in era.names where text.starts(with: name.unicodeScalars) {
                var rest = Array(text.dropFirst(name.unicodeScalars.count))
                // 元年 / 元. : the era's first year.
                if rest.first == "元", rest.count > 1, rest[1] == "年" || rest[1] == "." { rest[0] = "1" }
                guard let (y, m, d) = numbers(rest), y >= 1 else { return nil }
                let year = era.startYear + y - 1
                guard year <= era.endYear else { return nil }
                if (year, m, d) < (era.startYear, era.startMonth, era.startDay) { return nil }
                return iso(year, m, d)
            }
        }
        if text.count == 8, text.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) {
            let n = text.reduce(0) { $0 * 10 + Int($1.value - 0x30) }
            return iso(n / 10000, n / 100 % 100, n % 100)
        }
        guard let (y, m, d) = numbers(text), y >= 1000 else { return nil }
        return iso(y, m, d)
    }

    /// The common case, ASCII `yyyy-MM-dd`, checked on its bytes; nil sends the text down the general path.
    static func plainISO(_ raw: String) -> String? {
        var raw = raw
        return raw.withUTF8 { b -> String? in
            guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
            var v = [0, 0, 0]
            for (k, range) in [(0, 0..<4), (1, 5..<7), (2, 8..<10)] {
                for i in range {
                    guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                    v[k] = v[k] * 10 + Int(b[i] - 0x30)
                }
            }
            guard v[0] >= 1000, (1...12).contains(v[1]), v[2] >= 1, v[2] <= daysIn(v[0], v[1]) else { return nil }
            return String(decoding: b, as: UTF8.self)
        }
    }

    /// Full-width digits and separators to ASCII, spaces removed.
    static func normalise(_ s: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars {
            switch u.value {
            // Full-width ASCII (０-９, Ａ-Ｚ, ．／－ ...) to ASCII.
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(u.value - 0xFF01 + 0x21)!)
            case 0x2212: out.append("-")
            case 0x20, 0x3000, 0x09: continue
            default: out.append(u)
            }
        }
        return out
    }

    /// "5年4月1日", "5.4.1", "2023/04/01", "2023-4-1" → (5, 4, 1): three numbers, with 年月日 or one kind of separator.
    static func numbers<S: Collection<Unicode.Scalar>>(_ s: S) -> (Int, Int, Int)? {
        var parts: [Int] = []
        var current = 0, digits = 0
        var separator: Unicode.Scalar?
        for ch in s {
            if ch.value >= 0x30 && ch.value <= 0x39 {
                guard digits < 9 else { return nil }
                current = current * 10 + Int(ch.value - 0x30); digits += 1; continue
            }
            guard digits > 0 else { return nil }
            switch ch {
            case "年", "月", "日": break
            case ".", "/", "-":
                if let separator, separator != ch { return nil }
                separator = ch
            default: return nil
            }
            parts.append(current); current = 0; digits = 0
        }
        if digits > 0 { parts.append(current) }
        guard parts.count == 3 else { return nil }
        return (parts[0], parts[1], parts[2])
    }

    public static func iso(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard (1...12).contains(m), d >= 1, d <= daysIn(y, m) else { return nil }
        return "\(zeroPadded(y, 4))-\(zeroPadded(m, 2))-\(zeroPadded(d, 2))"
    }

    public static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
