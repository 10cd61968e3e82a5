import GeoCore
import Layers
import Store

extension TilePipeline {
    /// Step 1 — select, first half: the version of every tileset layer (one read of the store) and the
    /// in-memory index of each layer drawn at `key.z`, at that version (built or rebuilt when needed).
    ///
    /// The versions returned are those of the indexes used (newer than the read only when a write landed
    /// in between), so a cache key built from them names exactly the data the tile is made of.
    public static func layerIndexes(_ key: TileKey, layers: [TilesetLayer], store: SpatialStore,
                                    cache: LayerIndexCache) throws -> (indexes: [(layer: TilesetLayer, index: LayerTileIndex)], versions: [String: Int64]) {
        var versions = try store.versionWatch.versions(of: layers.map(\.id))
        var out: [(layer: TilesetLayer, index: LayerTileIndex)] = []
        for layer in layers where layer.isActive(at: key.z) {
            let index = try cache.index(of: layer.definition, version: versions[layer.id] ?? 0, store: store)
            versions[layer.id] = index.version
            out.append((layer, index))
        }
        return (out, versions)
    }

    /// Step 1 — select: the features of a layer's index whose EPSG:3857 bounds meet the tile's buffered
    /// box inside the layer's plausible extent, as positions in the index, in fid order.
    public static func select(_ key: TileKey, in index: LayerTileIndex, layer: LayerDefinition, options: TileOptions) -> [Int32] {
        let e = layer.plausibleExtent
        let lo = WebMercator.project(Coordinate(x: e.minLon, y: e.minLat)), hi = WebMercator.project(Coordinate(x: e.maxLon, y: e.maxLat))
        let limit = BoundingBox(minX: lo.x, minY: lo.y, maxX: hi.x, maxY: hi.y)
        guard let box = bufferedBounds(key, options: options).intersection(limit) else { return [] }
        return index.search(box)
    }

    /// The tile's Mercator bounds grown by the buffer.
    public static func bufferedBounds(_ key: TileKey, options: TileOptions) -> BoundingBox {
        let b = key.mercatorBounds
        return b.expandedBy(b.width * Double(options.buffer) / Double(options.extent))
    }

    /// The bounds of a box after reprojection, sampling each edge so curved edges stay inside.
    public static func densifiedBounds(_ box: BoundingBox, transformer: CoordinateTransformer, steps: Int = 8) throws -> BoundingBox {
        var ring: [Coordinate] = []
        for i in 0...steps {
            let t = Double(i) / Double(steps)
            let x = box.minX + t * box.width, y = box.minY + t * box.height
            ring += [Coordinate(x: x, y: box.minY), Coordinate(x: x, y: box.maxY),
                     Coordinate(x: box.minX, y: y), Coordinate(x: box.maxX, y: y)]
        }
        let moved = try transformer.transform(ring)
        return BoundingBox(containing: moved) ?? box
    }
}
