import Foundation

/// A built tile archive opened for serving: MBTiles or PMTiles, recognised by its first bytes.
public final class TileArchive: Sendable {
    /// The two archive formats Chizu writes.
    public enum Format: String, Sendable { case mbtiles, pmtiles }

    public let format: Format
    /// Name, zooms, bounds, centre and vector layers as the archive records them.
    public let metadata: TileArchiveMetadata
    private let backend: Backend

    private enum Backend: Sendable { case mbtiles(MBTilesReader), pmtiles(PMTilesReader) }

    private init(format: Format, metadata: TileArchiveMetadata, backend: Backend) {
        self.format = format; self.metadata = metadata; self.backend = backend
    }

    /// Opens an archive; throws `TilesError.invalidArchive` when the file is neither format.
    public static func open(_ path: String) throws -> TileArchive {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TilesError.invalidArchive(path: path, reason: "cannot open the file")
        }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if head.starts(with: Data("PMTiles".utf8)) {
            let r = try PMTilesReader(path: path)
            return TileArchive(format: .pmtiles, metadata: r.metadata, backend: .pmtiles(r))
        }
        if head.starts(with: Data("SQLite format 3".utf8)) {
            let r = try MBTilesReader(path: path)
            return TileArchive(format: .mbtiles, metadata: r.metadata, backend: .mbtiles(r))
        }
        throw TilesError.invalidArchive(path: path, reason: "neither PMTiles nor SQLite (MBTiles)")
    }

    /// The stored bytes of tile z/x/y (XYZ scheme), gzip'd MVT as Chizu writes them; nil when absent.
    public func tile(z: Int, x: Int, y: Int) throws -> Data? {
        switch backend {
        case let .mbtiles(r): try r.tile(z: z, x: x, y: y)
        case let .pmtiles(r): try r.tile(z: z, x: x, y: y)
        }
    }
}
