import GeoCore
import Layers
import Store

extension TilePipeline {
    /// Step 1 — select: the box in a layer's storage CRS that covers a Mercator box, or nil when the
    /// box misses the layer's plausible extent (then there is nothing to read at all).
    public static func storageBox(for mercator: BoundingBox, layer: LayerDefinition) throws -> StorageBox? {
        let e = layer.plausibleExtent
        let plausible = BoundingBox(minX: e.minLon, minY: e.minLat, maxX: e.maxLon, maxY: e.maxLat)
        let lo = WebMercator.project(plausible.lowerLeft), hi = WebMercator.project(plausible.upperRight)
        let limit = BoundingBox(minX: lo.x, minY: lo.y, maxX: hi.x, maxY: hi.y)
        guard let box = mercator.intersection(limit) else { return nil }
        let b = try densifiedBounds(box, transformer: .between(.webMercator, layer.storageCRS))
        return StorageBox(minX: b.minX, minY: b.minY, maxX: b.maxX, maxY: b.maxY)
    }

    /// Step 1 — select: every tileset layer active at `key.z`, read in one snapshot through the R*Tree,
    /// with every tileset layer's version from that snapshot.
    public static func select(_ key: TileKey, layers: [TilesetLayer], store: SpatialStore,
                              options: TileOptions) throws -> TileRows {
        let box = bufferedBounds(key, options: options)
        var queries: [TileLayerQuery] = []
        // Layers usually share a storage CRS and plausible extent: reproject the tile's box once for them.
        var boxes: [BoxKey: StorageBox?] = [:]
        for layer in layers where layer.isActive(at: key.z) {
            let d = layer.definition
            let k = BoxKey(crs: d.storageCRS, extent: d.plausibleExtent)
            let sbox: StorageBox?
            if let known = boxes[k] { sbox = known } else { sbox = try storageBox(for: box, layer: d); boxes[k] = sbox }
            guard let sbox else { continue }
            queries.append(TileLayerQuery(layer: d, fields: layer.fields, box: sbox))
        }
        return try store.tileRows(queries, versionsOf: layers.map(\.id))
    }

    private struct BoxKey: Hashable { let crs: CRS; let extent: BoundingBoxLL }

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
