import Crypto
import Foundation
import GeoCore
import Synchronization

/// What identifies a cached tile: tileset, the caller's view of it, the tile and the layer versions.
///
/// The view (see `Tileset.viewKey`) means a caller never receives a tile made for wider rights;
/// the versions mean a re-ingest (which bumps a layer's version) makes every older tile unreachable.
public struct TileCacheKey: Hashable, Sendable {
    public var tileset: String
    public var view: String
    public var tile: TileKey
    /// "layer=version" pairs in layer order.
    public var versions: String

    /// The key of `tile` in `tileset` with the given layer versions.
    public init(tileset: Tileset, tile: TileKey, versions: [String: Int64]) {
        self.tileset = tileset.id
        self.view = tileset.viewKey
        self.tile = tile
        self.versions = tileset.layers.map { "\($0.id)=\(versions[$0.id] ?? 0)" }.joined(separator: ",")
    }

    /// Short hex digests of the view and versions, for file paths and ETags.
    var viewDigest: String { Self.digest(view) }
    var versionsDigest: String { Self.digest(versions) }

    static func digest(_ s: String) -> String {
        SHA256.hash(data: Data(s.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}

/// A two-level tile cache: an in-memory LRU bounded in bytes, then files under a directory.
///
/// Values are gzip'd MVT bytes; an empty tile is cached as empty `Data` (so 204s are cheap too).
/// Disk paths hold the key: `DIR/<tileset>/<view digest>/<versions digest>/z/x/y.mvt.gz`; when a new
/// versions digest appears, older version folders of that view are deleted.
public final class TileCache: Sendable {
    private let memory: Mutex<LRUCache<TileCacheKey, Data>>
    /// The on-disk cache root, or nil for memory only.
    public let directory: URL?
    private let seenVersionFolders = Mutex<Set<String>>([])

    /// A cache keeping at most `maxBytes` in memory and, when `directory` is given, everything on disk.
    public init(maxBytes: Int = 64 << 20, directory: URL? = nil) {
        memory = Mutex(LRUCache(capacity: maxBytes))
        self.directory = directory
    }

    /// The usual server cache: `maxBytes` in memory and files under `root/cache` (root defaults to `tiles/`).
    public static func standard(root: URL = URL(fileURLWithPath: "tiles"), maxBytes: Int = 64 << 20) -> TileCache {
        TileCache(maxBytes: maxBytes, directory: root.appendingPathComponent("cache", isDirectory: true))
    }

    /// The cached tile, from memory or disk (a disk hit is promoted to memory); nil on a miss.
    public func get(_ key: TileCacheKey) -> Data? {
        if let hit = memory.withLock({ $0.get(key) }) { return hit }
        guard let url = fileURL(key), let data = try? Data(contentsOf: url) else { return nil }
        memory.withLock { $0.set(key, data, cost: data.count + 64) }
        return data
    }

    /// Stores a tile in memory and on disk (atomically: a reader never sees half a file).
    public func put(_ key: TileCacheKey, _ data: Data) {
        memory.withLock { $0.set(key, data, cost: data.count + 64) }
        guard let url = fileURL(key) else { return }
        pruneOlderVersions(of: key)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            // The disk cache is an optimisation: a failed write only costs a later re-render.
        }
    }

    /// Bytes held in memory now.
    public var memoryBytes: Int { memory.withLock { $0.totalCost } }

    func fileURL(_ key: TileCacheKey) -> URL? {
        guard let directory else { return nil }
        return directory.appendingPathComponent(key.tileset, isDirectory: true)
            .appendingPathComponent(key.viewDigest, isDirectory: true)
            .appendingPathComponent(key.versionsDigest, isDirectory: true)
            .appendingPathComponent("\(key.tile.z)/\(key.tile.x)/\(key.tile.y).mvt.gz")
    }

    private func pruneOlderVersions(of key: TileCacheKey) {
        guard let directory else { return }
        let viewDir = directory.appendingPathComponent(key.tileset, isDirectory: true)
            .appendingPathComponent(key.viewDigest, isDirectory: true)
        let current = key.versionsDigest
        let isNew = seenVersionFolders.withLock { $0.insert(viewDir.path + "/" + current).inserted }
        guard isNew, let names = try? FileManager.default.contentsOfDirectory(atPath: viewDir.path) else { return }
        for name in names where name != current {
            try? FileManager.default.removeItem(at: viewDir.appendingPathComponent(name))
        }
    }
}
