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
    /// Features left out because GEOS or PROJ failed on them (normally 0).
    public var skippedFeatures: Int
}

/// Renders vector tiles on the fly from the store: the pipeline of `TilePipeline`, per layer, then MVT.
public struct TileRenderer: Sendable {
    public let store: SpatialStore
    public let catalog: LayerCatalog
    public var options: TileOptions

    /// A renderer over a store and the catalog that defines its layers.
    public init(store: SpatialStore, catalog: LayerCatalog, options: TileOptions = TileOptions()) {
        self.store = store; self.catalog = catalog; self.options = options
    }

    /// Uncompressed MVT bytes of tile `key` of tileset `id` as `access` sees it; nil when empty.
    public func tile(_ key: TileKey, tileset id: String, access: TileAccess) throws -> Data? {
        try render(key, tileset: Tileset.resolve(id, catalog: catalog, access: access)).mvt
    }

    /// Renders one tile of a resolved tileset.
    public func render(_ key: TileKey, tileset: Tileset) throws -> RenderedTile {
        let (layers, versions, skipped) = try mvtLayers(key, tileset: tileset)
        let bytes = MVTEncoder.encode(layers)
        return RenderedTile(mvt: bytes.isEmpty ? nil : Data(bytes), versions: versions, skippedFeatures: skipped)
    }

    /// The MVT layers of a tile before encoding (one per tileset layer with features at this zoom).
    public func mvtLayers(_ key: TileKey, tileset: Tileset) throws -> (layers: [MVTLayer], versions: [String: Int64], skipped: Int) {
        let rows = try TilePipeline.select(key, layers: tileset.layers, store: store, options: options)
        var layers: [MVTLayer] = []
        var skipped = 0
        for layerRows in rows.layers {
            guard let layer = tileset.layers.first(where: { $0.id == layerRows.layerId }) else { continue }
            let (features, s) = try self.features(layerRows.features, layer: layer, key: key)
            skipped += s
            if !features.isEmpty { layers.append(MVTLayer(name: layer.id, extent: UInt32(options.extent), features: features)) }
        }
        return (layers, rows.versions, skipped)
    }

    /// Steps 2–7 for one layer's features.
    func features(_ source: [TileSourceFeature], layer: TilesetLayer, key: TileKey) throws -> ([MVTFeature], Int) {
        let definition = layer.definition
        let transformer = try CoordinateTransformer.between(definition.storageCRS, .webMercator)
        let tileBox = key.mercatorBounds
        let clipBox = TilePipeline.bufferedBounds(key, options: options)
        let dimension = Self.dimension(definition.geometryType)
        let atMaxZoom = key.z >= definition.maxZoom
        let tolerance = atMaxZoom ? 0 : TilePipeline.tolerance(zoom: key.z, units: options.simplification, extent: options.extent)
        var out: [MVTFeature] = []
        var skipped = 0
        for feature in source {
            do {
                let projected = try TilePipeline.reproject(feature.wkb, transformer: transformer)
                guard let clipped = try TilePipeline.clip(projected, to: clipBox) else { continue }
                let simple = try TilePipeline.simplify(clipped, tolerance: tolerance)
                let quantized = TilePipeline.quantize(simple, tile: tileBox, extent: options.extent, dimension: dimension)
                guard let clean = TilePipeline.dropDegenerate(quantized),
                      let geometry = try TilePipeline.repairPolygons(clean, extent: options.extent) else { continue }
                out.append(MVTFeature(id: UInt64(bitPattern: feature.fid),
                                      properties: TilePipeline.properties(feature.values, fields: layer.fields),
                                      geometry: geometry))
            } catch is GeometryError {
                skipped += 1
            } catch is ProjectionError {
                skipped += 1
            }
        }
        if dimension == 0 && !atMaxZoom { out = TilePipeline.thinPoints(out, cell: options.pointThinningCell) }
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
