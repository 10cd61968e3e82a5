import Foundation
import GeoCore
import Layers
import Store
import Testing
@testable import Tiles

@Suite struct IndexTests {
    @Test func theRTreeFindsExactlyTheBoxesABruteForceScanFinds() {
        var rng = SystemRandomNumberGenerator()
        let boxes = (0..<2000).map { _ -> BoundingBox in
            let x = Double.random(in: 0...1000, using: &rng), y = Double.random(in: 0...1000, using: &rng)
            return BoundingBox(minX: x, minY: y, maxX: x + .random(in: 0...20, using: &rng), maxY: y + .random(in: 0...20, using: &rng))
        }
        let tree = PackedRTree(boxes)
        for _ in 0..<200 {
            let x = Double.random(in: -50...1000, using: &rng), y = Double.random(in: -50...1000, using: &rng)
            let q = BoundingBox(minX: x, minY: y, maxX: x + .random(in: 0...200, using: &rng), maxY: y + .random(in: 0...200, using: &rng))
            var found: [Int32] = []
            tree.search(q, into: &found)
            #expect(found.sorted() == boxes.indices.filter { boxes[$0].intersects(q) }.map(Int32.init))
        }
    }

    @Test func anEmptyOrSingleItemTreeAnswersSearches() {
        var found: [Int32] = []
        PackedRTree([]).search(BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1), into: &found)
        #expect(found.isEmpty)
        PackedRTree([BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)]).search(BoundingBox(minX: 1, minY: 1, maxX: 2, maxY: 2), into: &found)
        #expect(found == [0])
    }

    @Test func anIndexHoldsEveryFeatureReprojectedWithItsValues() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station
        try f.load("cameras", [f.camera("C1", s.lon, s.lat), f.camera("C2", s.lon + 0.01, s.lat)])
        let index = try LayerTileIndex.build(f.layer("cameras"), store: f.store)
        #expect(index.count == 2 && index.version == 1)
        let expected = WebMercator.project(Coordinate(x: s.lon, y: s.lat))
        guard case let .point(c) = index.geometry(0) else { Issue.record("not a point"); return }
        #expect(abs(c.x - expected.x) < 0.01 && abs(c.y - expected.y) < 0.01)
        let id = try #require(index.fieldNames.firstIndex(of: "camera_id"))
        #expect(index.value(1, field: id) == .string("C2"))
    }

    @Test func aReingestRebuildsTheIndexSoTheNextTileIsNotStale() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let renderer = f.renderer, s = TileFixture.station, key = TileFixture.tile(16)
        let tileset = try Tileset.resolve("cameras", catalog: f.catalog, access: .public)
        try f.load("cameras", [f.camera("C1", s.lon, s.lat)])
        let first = try renderer.render(key, tileset: tileset)
        try f.load("cameras", [f.camera("C2", s.lon, s.lat)])
        let second = try renderer.render(key, tileset: tileset)
        #expect(second.versions["cameras"] == (first.versions["cameras"] ?? 0) + 1)
        let ids = try DecodedTile(#require(second.mvt)).layer("cameras")?.features.map { $0.properties["camera_id"] }
        #expect(ids == [.string("C2")])
        #expect(renderer.indexes.held.map(\.version) == [second.versions["cameras"]])
    }

    /// The index encoder numbers values by the index's table; the bytes must equal the reference encoder's
    /// (`MVTEncoder`, values hashed) for the same layers with their properties looked up.
    @Test func encodingFromTheIndexGivesTheReferenceEncodersBytes() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station, key = TileFixture.tile(16)
        try f.load("cameras", [f.camera("C1", s.lon, s.lat), f.camera("C2", s.lon + 0.0005, s.lat, model: "XC-2"),
                               f.camera("C3", s.lon, s.lat + 0.0005)])
        for access in [TileAccess.public, .everything(in: f.catalog)] {
            let tileset = try Tileset.resolve("cameras", catalog: f.catalog, access: access)
            let (layers, _, _) = try f.renderer.cutLayers(key, tileset: tileset)
            #expect(layers.map(\.features.count) == [3])
            let fromIndex = TilePipeline.encode(layers, extent: 4096)
            #expect(fromIndex == MVTEncoder.encode(layers.map { $0.mvtLayer(extent: 4096) }))
            #expect(try DecodedTile(Data(fromIndex)).layer("cameras")?.features.count == 3)
        }
    }

    @Test func theCacheKeepsAtMostItsCapacityOfLayers() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station
        try f.load("cameras", [f.camera("C1", s.lon, s.lat)])
        let cache = LayerIndexCache(capacity: 1)
        _ = try cache.index(of: f.layer("cameras"), version: 1, store: f.store)
        _ = try cache.index(of: f.layer("manholes"), version: 0, store: f.store)
        #expect(cache.held.map(\.layerId) == ["manholes"])
    }

    @Test func valuesAreNumberedAsMVTValueEqualitySays() {
        var interner = ValueInterner()
        let composed = "ガス管", decomposed = "\u{30AB}\u{3099}ス管"   // canonically equivalent, other bytes
        #expect(composed == decomposed && Array(composed.utf8) != Array(decomposed.utf8))
        #expect(ValueInterner.isCertainlyNFC(composed) && !ValueInterner.isCertainlyNFC(decomposed))
        let inputs: [MVTValue] = [.string(composed), .int(1), .double(1), .string(decomposed), .bool(true), .int(1),
                                  .string("R000001"), .string("R000002"), .double(-0.0), .double(0)]
        let numbers = inputs.map { interner.number($0) }
        #expect(numbers == [0, 1, 2, 0, 3, 1, 4, 5, 6, 7])
        #expect(interner.values == [.string(composed), .int(1), .double(1), .bool(true), .string("R000001"),
                                    .string("R000002"), .double(-0.0), .double(0)])
        for k in 0..<5000 { #expect(interner.number(.string("S\(k)")) == Int32(8 + k)) }   // past several growths
        #expect(interner.number(.string("S0")) == 8)
    }
}
