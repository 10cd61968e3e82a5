/// A typed attribute value, as stored and served.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    /// A calendar date, ISO 8601 `yyyy-MM-dd`.
    case date(String)
    /// A date and time, ISO 8601 with offset (`2026-11-20T10:00:00+09:00`).
    case datetime(String)

    public var isNull: Bool { if case .null = self { true } else { false } }

    public var description: String {
        switch self {
        case .null: ""
        case .text(let s), .date(let s), .datetime(let s): s
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .boolean(let b): b ? "true" : "false"
        }
    }

    /// The value as a Double, for numeric fields.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .real(let d): d
        default: nil
        }
    }
}
