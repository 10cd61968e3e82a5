import Foundation


/// A value as a reader found it, before the layer definition types it.
public enum RawValue: Sendable, Hashable {
    case missing
    case string(String)
    case integer(Int64)
    case real(Double)
    /// A date from a typed source (e.g. a DBF date field).
    case date(year: Int, month: Int, day: Int)
}

/// Why a value does not fit its field.
public enum ConversionProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case requiredMissing
    case notAnInteger(String)
    case notANumber(String)
    case notADate(String)
    case notADateTime(String)
    case notABoolean(String)
    case notAllowed(String, allowed: [String])

    public var description: String {
        switch self {
        case .requiredMissing: "is required but missing"
        case .notAnInteger(let s): "\"\(s)\" is not an integer"
        case .notANumber(let s): "\"\(s)\" is not a number"
        case .notADate(let s): "\"\(s)\" is not a date (ISO 2023-04-01, 令和5年4月1日, R5.4.1, H27.4.1, S50.3.31 are understood)"
        case .notADateTime(let s): "\"\(s)\" is not a date and time (ISO 8601, e.g. 2026-11-20T10:00:00+09:00)"
        case .notABoolean(let s): "\"\(s)\" is not yes/no (有/無, あり/なし, true/false, 1/0)"
        case let .notAllowed(s, allowed): "\"\(s)\" is not one of: \(allowed.joined(separator: ", "))"
        }
    }

    /// A short kind name for report counts.
    public var kind: String {
        switch self {
        case .requiredMissing: "required-missing"
        case .notAnInteger, .notANumber: "bad-number"
        case .notADate, .notADateTime: "bad-date"
        case .notABoolean: "bad-boolean"
        case .notAllowed: "value-not-allowed"
        }
    }
}

/// Types raw values per the layer definition: missing-value tokens become null (never 0), numbers
/// accept full-width digits and thousands separators, dates accept the Japanese era calendar.
public struct FieldConverter: Sendable {
    public let missingValues: Set<String>
    /// Offset for date-times written without one (JST).
    public let defaultOffset: String

    public init(missingValues: [String], defaultOffset: String = "+09:00") {
        self.missingValues = Set(missingValues.map { $0.trimmingCharacters(in: .whitespaces) })
        self.defaultOffset = defaultOffset
    }

    /// The typed value of `raw` for `field`.
    public func convert(_ raw: RawValue, for field: FieldDefinition) -> Result<FieldValue, ConversionProblem> {
        let value: Result<FieldValue, ConversionProblem>
        switch raw {
        case .missing: value = .success(.null)
        case .string(let s):
            let t = s.trimmingWhitespace()
            value = missingValues.contains(t) || (t.isEmpty && missingValues.contains("")) ? .success(.null) : convert(t, field.type)
        case .integer(let i):
            switch field.type {
            case .integer: value = .success(.integer(i))
            case .real: value = .success(.real(Double(i)))
            case .boolean: value = i == 0 || i == 1 ? .success(.boolean(i == 1)) : .failure(.notABoolean(String(i)))
            default: value = convert(String(i), field.type)
            }
        case .real(let d):
            switch field.type {
            case .real: value = .success(.real(d))
            case .integer: value = d.rounded() == d && abs(d) < 9e15 ? .success(.integer(Int64(d))) : .failure(.notAnInteger(String(d)))
            default: value = convert(String(d), field.type)
            }
        case let .date(y, m, d):
            let iso = JapaneseDate.iso(y, m, d)
            switch field.type {
            case .date: value = iso.map { .success(.date($0)) } ?? .failure(.notADate("\(y)-\(m)-\(d)"))
            case .datetime: value = iso.map { .success(.datetime("\($0)T00:00:00\(defaultOffset)")) } ?? .failure(.notADateTime("\(y)-\(m)-\(d)"))
            default: value = convert(iso ?? "", field.type)
            }
        }
        if case .success(let v) = value {
            if v.isNull, field.required { return .failure(.requiredMissing) }
            if let allowed = field.allowedValues, !v.isNull, !allowed.contains(v.description) {
                return .failure(.notAllowed(v.description, allowed: allowed))
            }
        }
        return value
    }

    func convert(_ s: String, _ type: FieldType) -> Result<FieldValue, ConversionProblem> {
        switch type {
        case .text:
            return .success(.text(s))
        case .integer:
            let n = Self.asciiNumber(s)
            if let i = Int64(n) { return .success(.integer(i)) }
            if let d = Double(n), d.rounded() == d, abs(d) < 9e15 { return .success(.integer(Int64(d))) }
            return .failure(.notAnInteger(s))
        case .real:
            guard let d = Double(Self.asciiNumber(s)), d.isFinite else { return .failure(.notANumber(s)) }
            return .success(.real(d))
        case .date:
            return JapaneseDate.parse(s).map { .success(.date($0)) } ?? .failure(.notADate(s))
        case .datetime:
            return dateTime(s).map { .success(.datetime($0)) } ?? .failure(.notADateTime(s))
        case .boolean:
            switch s.lowercased() {
            case "有", "あり", "はい", "済", "○", "true", "yes", "y", "1", "t": return .success(.boolean(true))
            case "無", "なし", "いいえ", "未", "×", "false", "no", "n", "0", "f": return .success(.boolean(false))
            default: return .failure(.notABoolean(s))
            }
        }
    }

    /// Full-width digits and signs to ASCII; thousands separators removed.
    public static func asciiNumber(_ s: String) -> String {
        // Usually plain ASCII without separators: nothing to rewrite.
        if s.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x2C }) { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u.value {
            case 0xFF10...0xFF19: out.unicodeScalars.append(Unicode.Scalar(u.value - 0xFF10 + 0x30)!)
            case 0xFF0E: out.append(".")
            case 0xFF0D, 0x2212: out.append("-")
            case 0xFF0B: out.append("+")
            case 0x2C, 0xFF0C: continue
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// ISO 8601 date-time text with an offset: accepts `2026-11-20T10:00:00+09:00`, `...Z`,
    /// `2026-11-20 10:00`, `2026/11/20 10:00:00` (local times get `defaultOffset`), and era dates with a time.
    public func dateTime(_ raw: String) -> String? {
        let s = raw.trimmingWhitespace()
        // Split date and time at "T" or the first space.
        let sepIndex = s.firstIndex(where: { $0 == "T" || $0 == " " })
        let datePart = sepIndex.map { String(s[..<$0]) } ?? s
        guard let date = JapaneseDate.parse(datePart) else { return nil }
        guard let sepIndex else { return "\(date)T00:00:00\(defaultOffset)" }
        var time = s[s.index(after: sepIndex)...].trimmingWhitespace()
        var offset = defaultOffset
        if time.hasSuffix("Z") { offset = "+00:00"; time.removeLast() }
        else if let signIdx = time.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            var off = String(time[signIdx...])
            if off.count == 5, !off.contains(":") { off.insert(":", at: off.index(off.startIndex, offsetBy: 3)) }
            if off.count == 3 { off += ":00" }
            guard off.count == 6, off.dropFirst().split(separator: ":").count == 2 else { return nil }
            offset = off
            time = String(time[..<signIdx])
        }
        if let dot = time.firstIndex(of: ".") { time = String(time[..<dot]) }
        let parts = time.split(separator: ":").map { Int($0) }
        guard parts.count == 2 || parts.count == 3, !parts.contains(nil) else { return nil }
        let h = parts[0]!, m = parts[1]!, sec = parts.count == 3 ? parts[2]! : 0
        guard (0...24).contains(h), (0...59).contains(m), (0...60).contains(sec), h < 24 || (m == 0 && sec == 0) else { return nil }
        if h == 24 {
            // 24:00 is the end of the day: the next day's 00:00.
            guard let next = Self.nextDay(date) else { return nil }
            return "\(next)T00:00:00\(offset)"
        }
        return "\(date)T\(zeroPadded(h, 2)):\(zeroPadded(m, 2)):\(zeroPadded(sec, 2))\(offset)"
    }

    static func nextDay(_ iso: String) -> String? {
        let p = iso.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        var (y, m, d) = (p[0], p[1], p[2] + 1)
        if d > JapaneseDate.daysIn(y, m) { d = 1; m += 1 }
        if m > 12 { m = 1; y += 1 }
        return JapaneseDate.iso(y, m, d)
    }
}
