/// Why a geometry could not be read, built or processed; each case says what is wrong and where.
public enum GeometryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// WKB bytes that cannot be decoded (the message names the byte offset).
    case invalidWKB(String)
    /// WKT text that cannot be parsed (the message is GEOS's parser message).
    case invalidWKT(String)
    /// A GeoJSON geometry that breaks RFC 7946 (the message names the member or ring).
    case invalidGeoJSON(String)
    /// A structure no OGC geometry can have, e.g. an unclosed ring or a one-point line string.
    case invalidStructure(String)
    /// A coordinate that is NaN or infinite where a real position is required.
    case nonFiniteCoordinate(Coordinate)
    /// GEOS failed while running `operation`; `message` is GEOS's own explanation.
    case geos(operation: String, message: String)
    /// A tile key outside the XYZ grid.
    case invalidTileKey(z: Int, x: Int, y: Int, reason: String)

    /// A one-line message naming the format or operation, for logs and problem+json details.
    public var description: String {
        switch self {
        case let .invalidWKB(m): "WKB: \(m)"
        case let .invalidWKT(m): "WKT: \(m)"
        case let .invalidGeoJSON(m): "GeoJSON: \(m)"
        case let .invalidStructure(m): "geometry: \(m)"
        case let .nonFiniteCoordinate(c): "geometry: coordinate \(c) is not finite; remove or repair it before use"
        case let .geos(op, m): "GEOS \(op) failed: \(m)"
        case let .invalidTileKey(z, x, y, reason): "tile \(z)/\(x)/\(y) is not a valid XYZ tile: \(reason)"
        }
    }
}
