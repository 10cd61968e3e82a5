import Foundation
import GeoCore
import Layers
import Store
import Testing
@testable import Tiles

@Suite struct RendererTests {
    @Test func aTileHoldsTheFeaturesUnderIt() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        try f.load("cameras", [f.camera("C1", TileFixture.station.lon, TileFixture.station.lat)])
        let data = try #require(try f.renderer.tile(TileFixture.tile(16), tileset: "cameras", access: .public))
        let layer = try #require(try DecodedTile(data).layer("cameras"))
        #expect(layer.features.count == 1)
        #expect(layer.features[0].type == 1)
        #expect(layer.features[0].properties["camera_id"] == .string("C1"))
        #expect(layer.features[0].properties["cloud_recording"] == .bool(true))
        #expect(layer.features[0].properties["installed_on"] == nil)   // null fields are omitted
    }

    @Test func anEmptyTileIsNil() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        try f.load("cameras", [f.camera("C1", TileFixture.station.lon, TileFixture.station.lat)])
        let far = try TileKey(z: 16, x: 0, y: 0)
        #expect(try f.renderer.tile(far, tileset: "cameras", access: .public) == nil)
    }

    @Test func internalFieldsAreAbsentForAnonymousCallers() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        try f.load("cameras", [f.camera("C1", TileFixture.station.lon, TileFixture.station.lat)])
        let data = try #require(try f.renderer.tile(TileFixture.tile(16), tileset: "public", access: .public))
        let props = try #require(try DecodedTile(data).layer("cameras")?.features.first?.properties)
        #expect(props["model"] == nil && props["direction"] == nil)
        #expect(props["place"] == .string("駅前"))
    }

    @Test func internalFieldsArePresentForTheOwningDepartment() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        try f.load("cameras", [f.camera("C1", TileFixture.station.lon, TileFixture.station.lat)])
        let access = TileAccess.department("citizen_cooperation", in: f.catalog)
        let data = try #require(try f.renderer.tile(TileFixture.tile(16), tileset: "cameras", access: access))
        let props = try #require(try DecodedTile(data).layer("cameras")?.features.first?.properties)
        #expect(props["model"] == .string("XC-1") && props["direction"] == .string("北"))
    }

    func yardWastePoint(_ f: TileFixture) -> FeatureRecord {
        FeatureRecord(properties: ["point_id": .text("Y1"), "weight_kg": .real(12.5)],
                      wkb: TileFixture.pointWKB(TileFixture.station.lon + 0.0005, TileFixture.station.lat))
    }

    @Test func anInternalLayerIsNotInThePublicTilesetForAnonymousCallers() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        try f.load("cameras", [f.camera("C1", TileFixture.station.lon, TileFixture.station.lat)])
        try f.load("yard_waste_points", [yardWastePoint(f)])
        let tile = try DecodedTile(try #require(try f.renderer.tile(TileFixture.tile(16), tileset: "public", access: .public)))
        #expect(tile.layer("cameras") != nil)
        #expect(tile.layer("yard_waste_points") == nil)
        let all = try DecodedTile(try #require(try f.renderer.tile(TileFixture.tile(16), tileset: "all", access: .public)))
        #expect(all.layer("yard_waste_points") == nil)
    }

    @Test func anInternalLayerNeedsRightsToBeAskedForByName() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        try f.load("yard_waste_points", [yardWastePoint(f)])
        #expect(throws: TilesError.forbidden(tileset: "yard_waste_points")) {
            try f.renderer.tile(TileFixture.tile(16), tileset: "yard_waste_points", access: .public)
        }
        let sanitation = TileAccess.department("sanitation", in: f.catalog)
        let data = try #require(try f.renderer.tile(TileFixture.tile(16), tileset: "all", access: sanitation))
        #expect(try DecodedTile(data).layer("yard_waste_points")?.features.count == 1)
    }

    @Test func anUnknownTilesetSaysWhichExist() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        #expect(throws: TilesError.self) { try f.renderer.tile(TileFixture.tile(16), tileset: "nope", access: .public) }
    }

    @Test func layersOutsideTheirZoomRangeAreLeftOut() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let manhole = FeatureRecord(properties: ["manhole_id": .text("M1"), "kind": .text("汚水")],
                                    wkb: TileFixture.pointWKB(TileFixture.station.lon, TileFixture.station.lat))
        try f.load("manholes", [manhole])   // manholes draw from z15
        #expect(try f.renderer.tile(TileFixture.tile(14), tileset: "manholes", access: .public) == nil)
        #expect(try f.renderer.tile(TileFixture.tile(15), tileset: "manholes", access: .public) != nil)
    }

    @Test func aRoadCrossingTheTileIsClippedToTheBuffer() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station
        let road = FeatureRecord(properties: ["segment_id": .text("R1"), "route_number": .text("1"), "road_class": .text("1級"),
                                              "one_way": .integer(-1)],
                                 wkb: TileFixture.lineWKB([(s.lon - 0.05, s.lat), (s.lon + 0.05, s.lat)]))
        try f.load("roads", [road])
        let data = try #require(try f.renderer.tile(TileFixture.tile(16), tileset: "roads", access: .public))
        let feature = try #require(try DecodedTile(data).layer("roads")?.features.first)
        #expect(feature.type == 2)
        #expect(feature.properties["one_way"] == .int(-1))
        let xs = DecodedTile.paths(feature.geometry).flatMap { $0 }.map(\.x)
        #expect(xs.min() == -64 && xs.max() == 4096 + 64)
    }

    @Test func polygonsComeOutValidWithClockwiseExteriors() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station, d = 0.002
        let outer = [(s.lon - d, s.lat - d), (s.lon + d, s.lat - d), (s.lon + d, s.lat + d), (s.lon - d, s.lat + d), (s.lon - d, s.lat - d)]
        let hole = [(s.lon - d / 2, s.lat - d / 2), (s.lon - d / 2, s.lat + d / 2), (s.lon + d / 2, s.lat + d / 2), (s.lon + d / 2, s.lat - d / 2), (s.lon - d / 2, s.lat - d / 2)]
        try f.load("parcels", [FeatureRecord(properties: ["parcel_id": .text("P1"), "area_m2": .real(1.5e5)],
                                             wkb: TileFixture.polygonWKB([outer, hole]))])
        for z in [12, 14, 16] {   // the whole polygon lies in one tile at these zooms
            let data = try #require(try f.renderer.tile(TileFixture.tile(z), tileset: "parcels", access: .public))
            let feature = try #require(try DecodedTile(data).layer("parcels")?.features.first)
            #expect(feature.type == 3)
            let rings = DecodedTile.paths(feature.geometry)
            try #require(rings.count == 2, "z\(z): \(rings)")
            #expect(signedDoubleArea(Array(rings[0].dropLast())) > 0)
            #expect(signedDoubleArea(Array(rings[1].dropLast())) < 0)
        }
    }

    @Test func pointsAreThinnedBelowMaxZoomButNotAtIt() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station
        let cams = (0..<20).map { f.camera("C\($0)", s.lon + Double($0) * 1e-6, s.lat) }   // 20 points within ~2 m
        try f.load("cameras", cams)
        let low = try DecodedTile(try #require(try f.renderer.tile(TileFixture.tile(13), tileset: "cameras", access: .public)))
        let high = try DecodedTile(try #require(try f.renderer.tile(TileFixture.tile(18), tileset: "cameras", access: .public)))
        #expect(low.layer("cameras")?.features.count == 1)
        #expect(high.layer("cameras")?.features.count == 20)
    }
}
