/// Why a tile, tileset or archive request failed; each case says what and how to fix it.
public enum TilesError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No layer or group has this id.
    case unknownTileset(String, known: [String])
    /// The tileset is an internal layer the caller may not see (the server answers 404 or 403).
    case forbidden(tileset: String)
    /// A zoom range outside 0…30 or with min > max.
    case invalidZoomRange(min: Int, max: Int)
    /// A tile archive that cannot be read (wrong format, truncated, bad header).
    case invalidArchive(path: String, reason: String)
    /// gzip failed (corrupt input when decompressing).
    case compression(String)

    public var description: String {
        switch self {
        case let .unknownTileset(id, known): "no tileset \"\(id)\"; known: \(known.joined(separator: ", "))"
        case let .forbidden(id): "tileset \"\(id)\" needs a token whose rights include it"
        case let .invalidZoomRange(lo, hi): "zoom range \(lo)…\(hi) is invalid; use 0 ≤ min ≤ max ≤ 30"
        case let .invalidArchive(path, reason): "\(path): not a readable tile archive: \(reason)"
        case let .compression(m): "gzip: \(m)"
        }
    }
}
