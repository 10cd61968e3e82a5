import Foundation
import GeoCore
import Layers
import Store

/// A rendered tile with the layer versions its data came from (the cache keys on them).
public struct RenderedTile: Sendable, Hashable {
    /// Uncompressed MVT bytes; nil when the tile has no feature (HTTP 204).
    public var mvt: Data?
    /// The version of each tileset layer in the snapshot that was read.
    public var versions: [String: Int64]
    /// Features of this tile left out because GEOS failed on them (normally 0). Features whose geometry
    /// PROJ could not reproject are left out of their layer's index (`LayerTileIndex.skippedFeatures`).
    public var skippedFeatures: Int
}

/// Renders vector tiles on the fly from the store: the pipeline of `TilePipeline`, per layer, then MVT.
///
/// Features are read from in-memory layer indexes (`LayerIndexCache`), one per layer version, so a tile
/// costs no SQL beyond reading the layer versions.
public struct TileRenderer: Sendable {
    public let store: SpatialStore
    public let catalog: LayerCatalog
    public var options: TileOptions
    /// The layer indexes tiles are cut from (shared by copies of this renderer).
    public let indexes: LayerIndexCache

    /// A renderer over a store and the catalog that defines its layers.
    public init(store: SpatialStore, catalog: LayerCatalog, options: TileOptions = TileOptions(),
                indexes: LayerIndexCache = LayerIndexCache()) {
        self.store = store; self.catalog = catalog; self.options = options; self.indexes = indexes
    }

    /// Uncompressed MVT bytes of tile `key` of tileset `id` as `access` sees it; nil when empty.
    public func tile(_ key: TileKey, tileset id: String, access: TileAccess) throws -> Data? {
        try render(key, tileset: Tileset.resolve(id, catalog: catalog, access: access)).mvt
    }

    /// Renders one tile of a resolved tileset.
    public func render(_ key: TileKey, tileset: Tileset) throws -> RenderedTile {
        let (layers, versions, skipped) = try cutLayers(key, tileset: tileset)
        let bytes = TilePipeline.encode(layers, extent: options.extent)
        return RenderedTile(mvt: bytes.isEmpty ? nil : Data(bytes), versions: versions, skippedFeatures: skipped)
    }

    /// Steps 1–7 for every tileset layer drawn at `key.z`: the layers with features in the tile.
    public func cutLayers(_ key: TileKey, tileset: Tileset) throws -> (layers: [CutLayer], versions: [String: Int64], skipped: Int) {
        let (indexes, versions) = try TilePipeline.layerIndexes(key, layers: tileset.layers, store: store, cache: self.indexes)
        var layers: [CutLayer] = []
        var skipped = 0
        for (layer, index) in indexes {
            let selected = TilePipeline.select(key, in: index, layer: layer.definition, options: options)
            let (features, s) = try self.features(selected, of: index, layer: layer, key: key)
            skipped += s
            if !features.isEmpty { layers.append(CutLayer(layer: layer, index: index, features: features)) }
        }
        return (layers, versions, skipped)
    }

    /// Steps 3–7 for one layer's selected features (step 2, reprojection, happened when the index was built).
    func features(_ selected: [Int32], of index: LayerTileIndex, layer: TilesetLayer, key: TileKey) throws -> ([CutFeature], Int) {
        let definition = layer.definition
        let tileBox = key.mercatorBounds
        let clipBox = TilePipeline.bufferedBounds(key, options: options)
        let dimension = Self.dimension(definition.geometryType)
        let atMaxZoom = key.z >= definition.maxZoom
        let tolerance = atMaxZoom ? 0 : TilePipeline.tolerance(zoom: key.z, units: options.simplification, extent: options.extent)
        var out: [CutFeature] = []
        var skipped = 0
        for position in selected {
            let i = Int(position)
            do {
                guard let clipped = try TilePipeline.clip(index.geometry(i), bounds: index.bounds(i), to: clipBox) else { continue }
                let simple = try TilePipeline.simplify(clipped, tolerance: tolerance)
                let quantized = TilePipeline.quantize(simple, tile: tileBox, extent: options.extent, dimension: dimension)
                guard let clean = TilePipeline.dropDegenerate(quantized),
                      let geometry = try TilePipeline.repairPolygons(clean, extent: options.extent) else { continue }
                out.append(CutFeature(position: position, geometry: geometry))
            } catch is GeometryError {
                skipped += 1
            }
        }
        if dimension == 0 && !atMaxZoom { out = TilePipeline.thinPoints(out, cell: options.pointThinningCell, geometry: \.geometry) }
        return (out, skipped)
    }

    static func dimension(_ type: LayerGeometryType) -> Int {
        switch type {
        case .point, .multipoint: 0
        case .linestring, .multilinestring: 1
        case .polygon, .multipolygon: 2
        }
    }
}
