import Crypto
import Dispatch
import Foundation
import GeoCore
import Layers
import Store
import Synchronization

/// Counts reported while a pyramid is built.
public struct PyramidProgress: Sendable, Hashable {
    public var done: Int
    public var total: Int
    /// Tiles with at least one feature so far.
    public var nonEmpty: Int
}

/// The result of building a pyramid: the non-empty tiles (gzip'd) and counts.
public struct Pyramid: Sendable {
    /// Non-empty tiles in zoom, row, column order.
    public var tiles: [BuiltTile]
    /// Tiles visited (covering the data at each zoom).
    public var visited: Int
    /// Distinct tile contents among `tiles`.
    public var uniqueContents: Int
}

/// Renders every tile of a tileset over a zoom range, in parallel over all cores.
///
/// The built tiles are kept in memory (gzip'd) until the archive is written: a city's pyramid to z18
/// is a few tens of MB. A country-sized one would want a streaming sink instead.
public struct TilePyramidBuilder: Sendable {
    public let renderer: TileRenderer
    public let tileset: Tileset

    /// A builder for one resolved tileset.
    public init(renderer: TileRenderer, tileset: Tileset) { self.renderer = renderer; self.tileset = tileset }

    /// The tiles covering each layer's data at `zoom`, for the layers active at that zoom (no duplicates).
    public func coveringTiles(zoom: Int) throws -> [TileKey] {
        var seen = Set<TileKey>()
        var out: [TileKey] = []
        for layer in tileset.layers(at: zoom) {
            guard let e = try renderer.store.dataExtent(of: layer.definition) else { continue }
            let box = try TilePipeline.densifiedBounds(BoundingBox(minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY),
                                                       transformer: .between(layer.definition.storageCRS, .webMercator))
            for key in try TileKey.covering(mercatorBounds: box, zoom: zoom) where seen.insert(key).inserted { out.append(key) }
        }
        return out.sorted()
    }

    /// Renders zooms `minZoom...maxZoom`, skipping empty tiles; `progress` is called from worker threads.
    public func build(minZoom: Int, maxZoom: Int,
                      progress: @Sendable (PyramidProgress) -> Void = { _ in }) throws -> Pyramid {
        guard 0 <= minZoom, minZoom <= maxZoom, maxZoom <= TileKey.maxZoom else {
            throw TilesError.invalidZoomRange(min: minZoom, max: maxZoom)
        }
        let keys = try (minZoom...maxZoom).flatMap { try coveringTiles(zoom: $0) }
        let total = keys.count
        struct State { var results: [BuiltTile?]; var done = 0, nonEmpty = 0; var error: (any Error)? }
        let state = Mutex(State(results: Array(repeating: nil, count: total)))
        let renderer = self.renderer, tileset = self.tileset
        // Chunks of tiles per work item keep the lock and progress calls rare.
        let chunk = 16
        let chunks = (total + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in (c * chunk)..<min(total, (c + 1) * chunk) {
                if state.withLock({ $0.error != nil }) { return }
                do {
                    let rendered = try renderer.render(keys[i], tileset: tileset)
                    let built = try rendered.mvt.map { mvt in
                        BuiltTile(key: keys[i], gzipped: try Gzip.compress(mvt), digest: Data(SHA256.hash(data: mvt)))
                    }
                    let p = state.withLock { s -> PyramidProgress in
                        s.results[i] = built; s.done += 1
                        if built != nil { s.nonEmpty += 1 }
                        return PyramidProgress(done: s.done, total: total, nonEmpty: s.nonEmpty)
                    }
                    progress(p)
                } catch {
                    state.withLock { if $0.error == nil { $0.error = error } }
                    return
                }
            }
        }
        let final = state.withLock { $0 }
        if let error = final.error { throw error }
        let tiles = final.results.compactMap { $0 }
        return Pyramid(tiles: tiles, visited: total, uniqueContents: Set(tiles.map(\.digest)).count)
    }
}
