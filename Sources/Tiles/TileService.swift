import Foundation
import GeoCore
import Layers
import Store

/// A tile as the server sends it.
public struct ServedTile: Sendable, Hashable {
    /// gzip'd MVT bytes (send with `Content-Encoding: gzip`, type `application/vnd.mapbox-vector-tile`).
    public var gzipped: Data
    /// A strong validator: changes whenever the caller's view or a layer's version changes.
    public var etag: String
}

/// Renders tiles through a cache: what the HTTP tile endpoint calls.
public struct TileService: Sendable {
    public let renderer: TileRenderer
    public let cache: TileCache

    /// A service over a renderer and a cache (memory-only when the cache has no directory).
    public init(renderer: TileRenderer, cache: TileCache) { self.renderer = renderer; self.cache = cache }

    /// The tile `key` of tileset `id` for a caller with `access`; nil when the tile is empty (HTTP 204).
    /// Throws `TilesError.unknownTileset` (404) or `.forbidden` (403/404).
    public func tile(_ key: TileKey, tileset id: String, access: TileAccess) throws -> ServedTile? {
        let tileset = try Tileset.resolve(id, catalog: renderer.catalog, access: access)
        return try tile(key, tileset: tileset)
    }

    /// The tile `key` of an already resolved tileset.
    public func tile(_ key: TileKey, tileset: Tileset) throws -> ServedTile? {
        let answer = try answer(key, tileset: tileset)
        return answer.gzipped.isEmpty ? nil : ServedTile(gzipped: answer.gzipped, etag: answer.etag)
    }

    /// The tile `key` of a resolved tileset with the layer versions it was drawn from; empty bytes for
    /// an empty tile (HTTP 204).
    public func answer(_ key: TileKey, tileset: Tileset) throws -> TileAnswer {
        let versions = try renderer.store.versionWatch.versions(of: tileset.layers.map(\.id))
        let lookup = TileCacheKey(tileset: tileset, tile: key, versions: versions)
        if let hit = cache.get(lookup) { return TileAnswer(hit, lookup, versions) }
        let rendered = try renderer.render(key, tileset: tileset)
        // Keyed by the versions the render actually read, which are never older than `lookup`'s.
        let storeKey = TileCacheKey(tileset: tileset, tile: key, versions: rendered.versions)
        let bytes = try rendered.mvt.map { try Gzip.compress($0) } ?? Data()
        cache.put(storeKey, bytes)
        return TileAnswer(bytes, storeKey, rendered.versions)
    }
}

/// A tile with what it was drawn from: what a cache in front of the service needs to check it is current.
public struct TileAnswer: Sendable {
    /// gzip'd MVT bytes; empty for an empty tile.
    public var gzipped: Data
    /// The strong validator (changes with the caller's view and the layer versions).
    public var etag: String
    /// The tileset layers' versions the tile was drawn from.
    public var versions: [String: Int64]

    init(_ bytes: Data, _ key: TileCacheKey, _ versions: [String: Int64]) {
        gzipped = bytes
        etag = "\"\(key.viewDigest)-\(key.versionsDigest)\""
        self.versions = versions
    }
}
