import Foundation
import GeoCore
import Testing
@testable import Tiles

@Suite struct PipelineTests {
    let tile = try! TileKey(z: 14, x: 14531, y: 6473)
    var box: BoundingBox { tile.mercatorBounds }

    func line(_ pts: [(Double, Double)]) -> GeometryValue {
        .lineString(pts.map { Coordinate(x: box.minX + $0.0 * box.width, y: box.minY + $0.1 * box.height) })
    }

    @Test func clippingKeepsAFeatureCrossingTheEdgeAndCutsItAtTheBuffer() throws {
        let clipBox = TilePipeline.bufferedBounds(tile, options: TileOptions())
        let crossing = line([(0.5, 0.5), (3, 0.5)])
        let clipped = try #require(try TilePipeline.clip(crossing, to: clipBox))
        let xs = clipped.coordinates.map(\.x)
        #expect(abs(xs.max()! - clipBox.maxX) < 1e-6)
        #expect(abs(xs.min()! - (box.minX + 0.5 * box.width)) < 1e-6)
    }

    @Test func clippingDropsFeaturesOutsideTheBufferedTile() throws {
        let clipBox = TilePipeline.bufferedBounds(tile, options: TileOptions())
        #expect(try TilePipeline.clip(line([(2, 2), (3, 3)]), to: clipBox) == nil)
        #expect(try TilePipeline.clip(.point(Coordinate(x: box.maxX + box.width, y: box.minY)), to: clipBox) == nil)
    }

    @Test func clippingLeavesAFeatureInsideUntouched() throws {
        let inside = line([(0.1, 0.1), (0.9, 0.8), (0.2, 0.3)])
        #expect(try TilePipeline.clip(inside, to: box) == inside)
    }

    @Test func clippingALineCutsTheSamePiecesAsGEOS() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let n = Int.random(in: 2...12, using: &rng)
            let value = line((0..<n).map { _ in (Double.random(in: -1...2, using: &rng), Double.random(in: -1...2, using: &rng)) })
            let ours = try TilePipeline.clip(value, to: box)
            let geos = try Geometry(value).clipped(to: box)
            if let ours {
                // The same pieces with the same positions (cut points agree to a micrometre).
                let a = ours.parts(ofDimension: 1).map(\.coordinates), b = geos.value.parts(ofDimension: 1).map(\.coordinates)
                #expect(a.count == b.count && zip(a, b).allSatisfy { p, q in
                    p.count == q.count && zip(p, q).allSatisfy { abs($0.x - $1.x) < 1e-6 && abs($0.y - $1.y) < 1e-6 }
                }, "\(value)")
            } else {
                #expect(geos.value.isEmpty, "\(value)")
            }
        }
    }

    @Test func simplifyingLinesKeepsTheSameVerticesAsGEOS() throws {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            // Random walks, some closed, some crossing themselves, one to three lines per geometry.
            let walks = (0..<Int.random(in: 1...3, using: &rng)).map { _ -> [Coordinate] in
                var p = Coordinate(x: .random(in: 0...100, using: &rng), y: .random(in: 0...100, using: &rng))
                var out = [p]
                for _ in 0..<Int.random(in: 2...40, using: &rng) {
                    p = Coordinate(x: p.x + .random(in: -10...10, using: &rng), y: p.y + .random(in: -10...10, using: &rng))
                    out.append(p)
                }
                if round % 4 == 0 { out.append(out[0]) }
                return out
            }
            let value: GeometryValue = walks.count == 1 ? .lineString(walks[0]) : .multiLineString(walks)
            let tolerance = Double.random(in: 0.5...8, using: &rng)
            let ours = try TilePipeline.simplify(value, tolerance: tolerance)
            let geos = try Geometry(value).simplified(tolerance: tolerance).value
            #expect(ours == geos, "\(value) at \(tolerance)")
        }
    }

    /// A wobbly ring with a hole, valid, with many vertices close together.
    func wobblyPolygon(seed: UInt64, center: Coordinate, radius: Double) throws -> Geometry {
        var rng = SplitMix(seed: seed)
        func ring(_ r: Double, _ n: Int, clockwise: Bool) -> [Coordinate] {
            var cs = (0..<n).map { i -> Coordinate in
                let a = Double(i) / Double(n) * 2 * .pi * (clockwise ? -1 : 1)
                let rr = r * (1 + 0.08 * (rng.next() - 0.5))
                return Coordinate(x: center.x + rr * cos(a), y: center.y + rr * sin(a))
            }
            cs.append(cs[0]); return cs
        }
        return try Geometry(.polygon([ring(radius, 400, clockwise: false), ring(radius * 0.5, 200, clockwise: true)])).makeValid()
    }

    @Test func simplificationNeverProducesInvalidPolygons() throws {
        for seed in 1...20 {
            let g = try wobblyPolygon(seed: UInt64(seed), center: box.center, radius: box.width * 0.3)
            #expect(try g.isValid)
            for units in [1.0, 8, 64, 512] {
                let tol = TilePipeline.tolerance(zoom: tile.z, units: units, extent: 4096)
                let s = try Geometry(TilePipeline.simplify(g.value, tolerance: tol))
                let reason = try s.validityReason()
                #expect(reason == nil, "seed \(seed), tolerance \(units) units")
                #expect(!s.isEmpty)
                if units >= 8 { #expect(s.coordinates.count < g.coordinates.count) }
            }
        }
    }

    @Test func quantizedPolygonsAreValidInTileSpaceAfterRepair() throws {
        for seed in 1...20 {
            // Small polygons: a few tile units across, where rounding bites hardest.
            let g = try wobblyPolygon(seed: UInt64(seed), center: box.center, radius: box.width * 6 / 4096)
            let q = TilePipeline.quantize(g.value, tile: box, extent: 4096, dimension: 2)
            guard let clean = TilePipeline.dropDegenerate(q), let fixed = try TilePipeline.repairPolygons(clean, extent: 4096),
                  case let .polygons(polys) = fixed else { continue }
            let value = GeometryValue.multiPolygon(polys.map { $0.map { $0.map { Coordinate(x: Double($0.x), y: Double($0.y)) } } })
            #expect(try Geometry(value).isValid, "seed \(seed)")
        }
    }

    @Test func simplificationLeavesAPathAloneWhenNoVertexWouldGo() throws {
        let path = line([(0.1, 0.1), (0.5, 0.9), (0.9, 0.1)])
        #expect(try TilePipeline.simplify(path, tolerance: 1) == path)
        let nearlyStraight = line([(0.1, 0.1), (0.5, 0.1000001), (0.9, 0.1)])
        #expect(try TilePipeline.simplify(nearlyStraight, tolerance: 10).coordinates.count == 2)
    }

    @Test func quantizeFlipsYSoTheTopLeftCornerIsOrigin() {
        let g = TilePipeline.quantize(.point(Coordinate(x: box.minX, y: box.maxY)), tile: box, extent: 4096, dimension: 0)
        #expect(g == .points([TilePoint(0, 0)]))
        let h = TilePipeline.quantize(.point(Coordinate(x: box.maxX, y: box.minY)), tile: box, extent: 4096, dimension: 0)
        #expect(h == .points([TilePoint(4096, 4096)]))
    }

    @Test func degenerateGeometriesAreDropped() {
        let tinyRing = [TilePoint(5, 5), TilePoint(5, 5), TilePoint(5, 5), TilePoint(5, 5)]
        #expect(TilePipeline.dropDegenerate(.polygons([[tinyRing]])) == nil)
        let flat = [TilePoint(0, 0), TilePoint(10, 0), TilePoint(20, 0), TilePoint(0, 0)]
        #expect(TilePipeline.dropDegenerate(.polygons([[flat]])) == nil)
        #expect(TilePipeline.dropDegenerate(.lines([[TilePoint(3, 3), TilePoint(3, 3)]])) == nil)
        let kept = TilePipeline.dropDegenerate(.lines([[TilePoint(3, 3), TilePoint(3, 3), TilePoint(4, 3)], [TilePoint(1, 1)]]))
        #expect(kept == .lines([[TilePoint(3, 3), TilePoint(4, 3)]]))
    }

    @Test func aCollapsedHoleGoesButItsPolygonStays() {
        let outer = [TilePoint(0, 0), TilePoint(100, 0), TilePoint(100, 100), TilePoint(0, 100), TilePoint(0, 0)]
        let hole = [TilePoint(50, 50), TilePoint(50, 50), TilePoint(51, 50), TilePoint(50, 50)]
        #expect(TilePipeline.dropDegenerate(.polygons([[outer, hole]])) == .polygons([[outer]]))
    }

    @Test func pointsAreThinnedToOnePerCell() {
        let fs = [(1, 1), (2, 3), (40, 40), (15, 15)].enumerated().map { i, p in
            MVTFeature(id: UInt64(i), properties: [], geometry: .points([TilePoint(Int32(p.0), Int32(p.1))]))
        }
        #expect(TilePipeline.thinPoints(fs, cell: 16).map(\.id) == [0, 2])
    }
}

/// A tiny deterministic random generator for test shapes.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
