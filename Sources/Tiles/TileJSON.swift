import Foundation
import GeoCore
import Layers
import Store

/// A TileJSON 3.0.0 document describing a tileset to map clients (MapLibre, OpenLayers, QGIS).
public struct TileJSON: Codable, Sendable, Hashable {
    /// One MVT layer: id, the fields the caller sees (name → description), zooms.
    public struct VectorLayer: Codable, Sendable, Hashable {
        public var id: String
        public var description: String
        public var minzoom: Int
        public var maxzoom: Int
        public var fields: [String: String]
    }

    public var tilejson = "3.0.0"
    public var name: String
    public var description: String
    public var version = "1.0.0"
    public var attribution: String
    public var scheme = "xyz"
    public var tiles: [String]
    public var minzoom: Int
    public var maxzoom: Int
    /// [west, south, east, north] in degrees.
    public var bounds: [Double]
    /// [longitude, latitude, zoom].
    public var center: [Double]
    public var vector_layers: [VectorLayer]

    /// The document for a resolved tileset; `tilesURL` is the template, e.g.
    /// `https://example.jp/tiles/public/{z}/{x}/{y}.mvt`. Bounds come from the data when the store
    /// holds any, else from the layers' plausible extents.
    public static func make(tileset: Tileset, tilesURL: String, store: SpatialStore?) throws -> TileJSON {
        let bounds = try lonLatBounds(of: tileset, store: store)
        let minZ = tileset.minZoom, maxZ = tileset.maxZoom
        let centerZoom = min(max(minZ, 14), maxZ)
        let attributions = tileset.layers.map(\.definition.attribution).reduce(into: [String]()) { acc, a in
            if !a.isEmpty && !acc.contains(a) { acc.append(a) }
        }
        let layers = tileset.layers.map { l in
            VectorLayer(id: l.id, description: "\(l.definition.title.ja) / \(l.definition.title.en)",
                        minzoom: l.definition.minZoom, maxzoom: l.definition.maxZoom,
                        fields: Dictionary(uniqueKeysWithValues: l.fields.map { f in
                            (f.name, "\(f.label.ja) / \(f.label.en) (\(f.type.rawValue))")
                        }))
        }
        return TileJSON(name: tileset.id,
                        description: tileset.layers.map(\.definition.title.ja).joined(separator: "・"),
                        attribution: attributions.joined(separator: " / "), tiles: [tilesURL],
                        minzoom: minZ, maxzoom: maxZ,
                        bounds: [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY],
                        center: [bounds.center.x, bounds.center.y, Double(centerZoom)],
                        vector_layers: layers)
    }

    /// The document for a built archive (served by the server from `TileArchive.tile`).
    public static func make(archive: TileArchive, tilesURL: String) -> TileJSON {
        let m = archive.metadata
        let bounds = m.bounds.count == 4 ? m.bounds : [-180, -85.05112877980659, 180, 85.05112877980659]
        let center = m.center.count == 3 ? m.center : [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, Double(m.minZoom)]
        return TileJSON(name: m.name, description: m.description, attribution: m.attribution, tiles: [tilesURL],
                        minzoom: m.minZoom, maxzoom: m.maxZoom, bounds: bounds, center: center, vector_layers: m.vectorLayers)
    }

    /// The lon/lat box of the tileset's data (or of its layers' plausible extents when there is none).
    public static func lonLatBounds(of tileset: Tileset, store: SpatialStore?) throws -> BoundingBox {
        var box: BoundingBox?
        for layer in tileset.layers {
            guard let store, let extent = try store.dataExtent(of: layer.definition) else { continue }
            let b = try TilePipeline.densifiedBounds(
                BoundingBox(minX: extent.minX, minY: extent.minY, maxX: extent.maxX, maxY: extent.maxY),
                transformer: .between(layer.definition.storageCRS, .wgs84))
            box = box.map { $0.union(b) } ?? b
        }
        if let box { return box }
        let plausible = tileset.layers.map { l in
            let e = l.definition.plausibleExtent
            return BoundingBox(minX: e.minLon, minY: e.minLat, maxX: e.maxLon, maxY: e.maxLat)
        }
        return plausible.dropFirst().reduce(plausible.first ?? BoundingBox(minX: -180, minY: -85, maxX: 180, maxY: 85)) { $0.union($1) }
    }

    /// The document as JSON bytes (sorted keys, slashes unescaped).
    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }
}
