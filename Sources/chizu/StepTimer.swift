import Foundation
import GeoCore
import Tiles

/// Times each step of the tile pipeline separately over a list of tiles (for `chizu tiles bench --steps`).
///
/// `index` is reading the layer versions plus, the first time (or after a re-ingest), building the
/// in-memory layer indexes, which includes step 2 (reproject); `select` is the search of an index;
/// `encode` includes looking up each feature's properties in the index.
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
            let (indexes, _) = try time("index") {
                try TilePipeline.layerIndexes(key, layers: tileset.layers, store: renderer.store, cache: renderer.indexes)
            }
            var layers: [CutLayer] = []
            for (layer, index) in indexes {
                let d = layer.definition
                let dimension = [.point, .multipoint].contains(d.geometryType) ? 0 : [.linestring, .multilinestring].contains(d.geometryType) ? 1 : 2
                let tol = key.z >= d.maxZoom ? 0 : TilePipeline.tolerance(zoom: key.z, units: o.simplification, extent: o.extent)
                let clipBox = TilePipeline.bufferedBounds(key, options: o)
                let selected = time("select") { TilePipeline.select(key, in: index, layer: d, options: o) }
                var features: [CutFeature] = []
                for position in selected {
                    guard let c = try time("clip", { try TilePipeline.clip(index.geometry(Int(position)), bounds: index.bounds(Int(position)), to: clipBox) }) else { continue }
                    let s = try time("simplify") { try TilePipeline.simplify(c, tolerance: tol) }
                    let q = time("quantize") { TilePipeline.quantize(s, tile: key.mercatorBounds, extent: o.extent, dimension: dimension) }
                    guard let clean = time("drop", { TilePipeline.dropDegenerate(q) }),
                          let g = try time("repair", { try TilePipeline.repairPolygons(clean, extent: o.extent) }) else { continue }
                    features.append(CutFeature(position: position, geometry: g))
                }
                if dimension == 0 && key.z < d.maxZoom {
                    features = time("thin") { TilePipeline.thinPoints(features, cell: o.pointThinningCell, geometry: \.geometry) }
                }
                if !features.isEmpty { layers.append(CutLayer(layer: layer, index: index, features: features)) }
            }
            let mvt = time("encode") { TilePipeline.encode(layers, extent: o.extent) }
            _ = try time("gzip") { try Gzip.compress(mvt) }
        }
        let order = ["index", "select", "clip", "simplify", "quantize", "drop", "repair", "thin", "encode", "gzip"]
        func ms(_ d: Duration) -> String { String(format: "%.0f", Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15) }
        return "steps(ms) " + order.map { "\($0)=\(ms(t[$0] ?? .zero))" }.joined(separator: " ")
    }

    /// The process's peak resident set size in MiB (Linux `VmHWM`; 0 where /proc is absent).
    static func peakResidentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
