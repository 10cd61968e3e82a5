import GeoCore

/// A problem in a `filter`: what is wrong and where (character offset in CQL2 text, or a JSON path).
public struct FilterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var position: String
    public var message: String
    public init(_ position: String, _ message: String) { self.position = position; self.message = message }
    public var description: String { "\(position): \(message)" }
}

/// A CQL2 value or property reference, with where it was written.
public struct CQL2Operand: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case property(String)
        case string(String)
        case number(Double)
        case boolean(Bool)
        /// `DATE('2023-04-01')`.
        case date(String)
        /// `TIMESTAMP('2026-11-20T00:10:00Z')`.
        case timestamp(String)
        case geometry(Geometry)
    }
    public var kind: Kind
    public var position: String
    public init(_ kind: Kind, at position: String) { self.kind = kind; self.position = position }
}

/// The comparison operators of basic CQL2.
public enum CQL2Comparison: String, Sendable, Equatable {
    case eq = "=", ne = "<>", lt = "<", le = "<=", gt = ">", ge = ">="
}

/// The spatial predicates offered (and DWITHIN for "within N metres of").
public enum CQL2Spatial: String, Sendable, Equatable {
    case intersects = "s_intersects", within = "s_within", contains = "s_contains", disjoint = "s_disjoint"
}

/// A parsed CQL2 filter (text and JSON encodings parse to the same tree).
public indirect enum CQL2Expression: Sendable, Equatable {
    case and([CQL2Expression])
    case or([CQL2Expression])
    case not(CQL2Expression)
    case comparison(CQL2Comparison, CQL2Operand, CQL2Operand)
    case like(CQL2Operand, CQL2Operand)
    case between(CQL2Operand, CQL2Operand, CQL2Operand)
    case inList(CQL2Operand, [CQL2Operand])
    case isNull(CQL2Operand)
    case spatial(CQL2Spatial, CQL2Operand, CQL2Operand)
    /// Features whose geometry lies within `distance` metres of the geometry literal.
    case dwithin(CQL2Operand, CQL2Operand, distance: Double, at: String)
    case literal(Bool)
}

/// Limits that keep hostile filters harmless.
public enum CQL2Limits {
    public static let maxDepth = 64
    public static let maxLength = 64 * 1024
    /// Conditions in one filter: SQLite refuses expression trees deeper than 1,000, and every
    /// condition of an AND/OR chain adds a level.
    public static let maxConditions = 500
}

extension CQL2Expression {
    /// The number of conditions (leaves) in the tree.
    public var conditionCount: Int {
        switch self {
        case .and(let parts), .or(let parts): parts.reduce(0) { $0 + $1.conditionCount }
        case .not(let e): e.conditionCount
        default: 1
        }
    }

    /// `self`, or an error at `position` when it has more conditions than SQLite can take.
    func checkedSize(at position: String) throws -> CQL2Expression {
        guard conditionCount <= CQL2Limits.maxConditions else {
            throw FilterError(position, "the filter has more than \(CQL2Limits.maxConditions) conditions")
        }
        return self
    }
}
