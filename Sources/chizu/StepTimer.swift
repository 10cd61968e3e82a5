import Foundation
import GeoCore
import Tiles

/// Times each step of the tile pipeline separately over a list of tiles (for `chizu tiles bench --steps`).
enum StepTimer {
    static func run(_ keys: [TileKey], tileset: Tileset, renderer: TileRenderer) throws -> String {
        let o = renderer.options
        var t: [String: Duration] = [:]
        let clock = ContinuousClock()
        func time<T>(_ step: String, _ body: () throws -> T) rethrows -> T {
            var result: T?
            t[step, default: .zero] += try clock.measure { result = try body() }
            return result!
        }
        for key in keys {
            let rows = try time("select") { try TilePipeline.select(key, layers: tileset.layers, store: renderer.store, options: o) }
            var layers: [MVTLayer] = []
            for layerRows in rows.layers {
                guard let layer = tileset.layers.first(where: { $0.id == layerRows.layerId }) else { continue }
                let d = layer.definition
                let transformer = try CoordinateTransformer.between(d.storageCRS, .webMercator)
                let dimension = [.point, .multipoint].contains(d.geometryType) ? 0 : [.linestring, .multilinestring].contains(d.geometryType) ? 1 : 2
                let tol = key.z >= d.maxZoom ? 0 : TilePipeline.tolerance(zoom: key.z, units: o.simplification, extent: o.extent)
                let clipBox = TilePipeline.bufferedBounds(key, options: o)
                var features: [MVTFeature] = []
                for f in layerRows.features {
                    let v = try time("reproject") { try TilePipeline.reproject(f.wkb, transformer: transformer) }
                    guard let c = try time("clip", { try TilePipeline.clip(v, to: clipBox) }) else { continue }
                    let s = try time("simplify") { try TilePipeline.simplify(c, tolerance: tol) }
                    let q = time("quantize") { TilePipeline.quantize(s, tile: key.mercatorBounds, extent: o.extent, dimension: dimension) }
                    guard let clean = time("drop", { TilePipeline.dropDegenerate(q) }),
                          let g = try time("repair", { try TilePipeline.repairPolygons(clean, extent: o.extent) }) else { continue }
                    let props = time("properties") { TilePipeline.properties(f.values, fields: layer.fields) }
                    features.append(MVTFeature(id: UInt64(f.fid), properties: props, geometry: g))
                }
                if dimension == 0 && key.z < d.maxZoom { features = time("thin") { TilePipeline.thinPoints(features, cell: o.pointThinningCell) } }
                layers.append(MVTLayer(name: layer.id, features: features))
            }
            let mvt = time("encode") { MVTEncoder.encode(layers) }
            _ = try time("gzip") { try Gzip.compress(mvt) }
        }
        let order = ["select", "reproject", "clip", "simplify", "quantize", "drop", "repair", "properties", "thin", "encode", "gzip"]
        func ms(_ d: Duration) -> String { String(format: "%.0f", Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15) }
        return "steps(ms) " + order.map { "\($0)=\(ms(t[$0] ?? .zero))" }.joined(separator: " ")
    }
}
