import Foundation
import Testing
@testable import GeoCore

@Suite struct GeoJSONTests {
    typealias F = Fixtures

    @Test func everyTypeRoundTripsThroughGeoJSON() throws {
        for v in F.everyType {
            let g = try Geometry(v)
            let text = try g.geoJSON()
            #expect(try Geometry(geoJSON: text) == g, "\(text)")
        }
    }

    @Test func positionsAreLongitudeThenLatitude() throws {
        let g = try Geometry(geoJSON: #"{"type":"Point","coordinates":[139.3144,35.3964]}"#)
        #expect(g.value == .point(Coordinate(x: 139.3144, y: 35.3964)))
    }

    @Test func pointIsWrittenCompactly() throws {
        #expect(try Geometry.point(F.c(139.3144, 35.3964)).geoJSON() == #"{"type":"Point","coordinates":[139.3144,35.3964]}"#)
    }

    @Test func decimalsRoundAndTrimOrdinates() throws {
        let g = try Geometry(.lineString([F.c(139.314412345678, 35.3964), F.c(-47083.12345, -0.0001)]))
        #expect(try g.geoJSON(decimals: 7) == #"{"type":"LineString","coordinates":[[139.3144123,35.3964],[-47083.12345,-0.0001]]}"#)
        #expect(try g.geoJSON(decimals: 3) == #"{"type":"LineString","coordinates":[[139.314,35.396],[-47083.123,0]]}"#)
    }

    @Test func polygonIsWrittenWithNestedRings() throws {
        let g = try F.square(0, 0, side: 1)
        #expect(try g.geoJSON() == #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#)
    }

    @Test func altitudeIsDropped() throws {
        let g = try Geometry(geoJSON: #"{"type":"LineString","coordinates":[[1,2,30],[3,4,40]]}"#)
        #expect(g.value == .lineString([F.c(1, 2), F.c(3, 4)]))
    }

    @Test func shortRingIsRejectedWithItsSize() {
        let text = #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#
        #expect(throws: GeometryError.invalidGeoJSON("Polygon ring 0 has 3 positions, needs at least 4")) {
            try Geometry(geoJSON: text)
        }
        #expect(GeometryError.invalidGeoJSON("x").description == "GeoJSON: x")
    }

    @Test func badPositionIsRejectedWithItsPath() {
        let text = #"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1],[1,1],[0,0]]]]}"#
        #expect(throws: GeometryError.invalidGeoJSON(
            "MultiPolygon polygon 1 ring 0 position 1: a position must be an array of at least 2 numbers")) {
            try Geometry(geoJSON: text)
        }
    }

    @Test func featureIsNotAGeometry() {
        #expect(throws: GeometryError.invalidGeoJSON(
            #""Feature" is not a geometry type (pass the feature's "geometry" member)"#)) {
            try Geometry(geoJSON: #"{"type":"Feature","geometry":null,"properties":{}}"#)
        }
    }

    @Test func missingCoordinatesAndBadJSONAreRejected() {
        #expect(throws: GeometryError.invalidGeoJSON("LineString has no \"coordinates\" member")) {
            try Geometry(geoJSON: #"{"type":"LineString"}"#)
        }
        #expect(throws: GeometryError.self) { try Geometry(geoJSON: "{not json") }
        #expect(throws: GeometryError.invalidGeoJSON("Point: position [\"a\", \"b\"] holds something other than numbers")) {
            try Geometry(geoJSON: #"{"type":"Point","coordinates":["a","b"]}"#)
        }
    }

    @Test func booleansAreNotNumbers() {
        #expect(throws: GeometryError.invalidGeoJSON("Point: position [1, 0] holds something other than numbers")) {
            try Geometry(geoJSON: #"{"type":"Point","coordinates":[true,false]}"#)
        }
    }

    @Test func geometryCollectionMembersAreRead() throws {
        let text = #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[0,0],[1,1]]}]}"#
        let g = try Geometry(geoJSON: text)
        #expect(g.value == .geometryCollection([.point(F.c(1, 2)), .lineString([F.c(0, 0), F.c(1, 1)])]))
        #expect(try g.geoJSON() == text)
    }

    @Test func jsonObjectsAreAcceptedAndProduced() throws {
        let object: [String: Any] = ["type": "MultiPoint", "coordinates": [[1.5, 2], [3, 4]]]
        let g = try Geometry(geoJSONObject: object)
        #expect(g.value == .multiPoint([F.c(1.5, 2), F.c(3, 4)]))
        let out = try g.geoJSONObject()
        #expect(out["type"] as? String == "MultiPoint")
        #expect(try Geometry(geoJSONObject: out) == g)
    }

    @Test func nonFiniteCoordinatesCannotBeWritten() throws {
        let g = try Geometry(.lineString([F.c(0, 0), F.c(.nan, 1)]))
        #expect(throws: GeometryError.self) { try g.geoJSON() }
    }
}
