import Foundation
import GeoCore
import Testing
@testable import Tiles

@Suite struct TileJSONTests {
    @Test func tileJSONDescribesTheLayersAndFieldsTheCallerSees() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station
        try f.load("cameras", [f.camera("C1", s.lon, s.lat), f.camera("C2", s.lon + 0.01, s.lat + 0.01)])
        let tileset = try Tileset.resolve("public", catalog: f.catalog, access: .public)
        let tj = try TileJSON.make(tileset: tileset, tilesURL: "https://example.jp/tiles/public/{z}/{x}/{y}.mvt", store: f.store)
        let json = try JSONSerialization.jsonObject(with: tj.encoded()) as? [String: Any]
        #expect(json?["tilejson"] as? String == "3.0.0")
        #expect((json?["tiles"] as? [String]) == ["https://example.jp/tiles/public/{z}/{x}/{y}.mvt"])
        #expect(tj.minzoom == 8 && tj.maxzoom == 18)   // rain gauges from z8, everything to z18
        // From the cameras' data (the storage-CRS box, reprojected, is a little wider than the points).
        #expect(abs(tj.bounds[0] - s.lon) < 1e-3 && abs(tj.bounds[3] - (s.lat + 0.01)) < 1e-3)
        #expect(tj.bounds[2] - tj.bounds[0] < 0.02)
        #expect(tj.center.count == 3)
        #expect(!tj.vector_layers.contains { $0.id == "yard_waste_points" })
        let cameras = try #require(tj.vector_layers.first { $0.id == "cameras" })
        #expect(cameras.minzoom == 12 && cameras.fields["camera_id"] != nil && cameras.fields["model"] == nil)
        #expect(tj.attribution.contains("伊勢原市"))
        let dept = try Tileset.resolve("public", catalog: f.catalog, access: .department("citizen_cooperation", in: f.catalog))
        let deptJSON = try TileJSON.make(tileset: dept, tilesURL: "x", store: f.store)
        #expect(deptJSON.vector_layers.first { $0.id == "cameras" }?.fields["model"] != nil)
    }

    @Test func aTilesetWithoutDataUsesTheLayersPlausibleExtent() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let tj = try TileJSON.make(tileset: Tileset.resolve("roads", catalog: f.catalog, access: .public), tilesURL: "x", store: f.store)
        #expect(tj.bounds == [139.19, 35.33, 139.40, 35.49])
    }
}
