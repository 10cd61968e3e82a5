import Foundation
import Testing
@testable import GeoCore

@Suite struct TileKeyTests {
    static let cityHall = Coordinate(x: 139.3144, y: 35.3964)  // 伊勢原市役所, lon/lat
    static let e = WebMercator.extent

    @Test func extentIsPiTimesEarthRadius() {
        #expect(abs(WebMercator.extent - Double.pi * WebMercator.earthRadius) < 1e-8)
    }

    @Test func zoomZeroCoversTheWholeWorld() throws {
        let t = try TileKey(z: 0, x: 0, y: 0)
        #expect(t.mercatorBounds == BoundingBox(minX: -Self.e, minY: -Self.e, maxX: Self.e, maxY: Self.e))
        let ll = t.lonLatBounds
        #expect(abs(ll.minX + 180) < 1e-12 && abs(ll.maxX - 180) < 1e-12)
        #expect(abs(ll.maxY - WebMercator.maxLatitude) < 1e-9 && abs(ll.minY + WebMercator.maxLatitude) < 1e-9)
    }

    @Test func cityHallIsInTile15_29064_12935() throws {
        let t = try TileKey.containing(lonLat: Self.cityHall, zoom: 15)
        #expect(t == (try TileKey(z: 15, x: 29064, y: 12935)))
        // The slippy-map formula, independently.
        let n = 32768.0, lat = Self.cityHall.y * .pi / 180
        let x = Int(floor((Self.cityHall.x + 180) / 360 * n))
        let y = Int(floor((1 - asinh(tan(lat)) / .pi) / 2 * n))
        #expect(t.x == x && t.y == y)
        #expect(t.lonLatBounds.contains(Self.cityHall))
        #expect(t.description == "15/29064/12935")
    }

    @Test func tileBoundsAtZoomOneAreQuadrants() throws {
        let t = try TileKey(z: 1, x: 1, y: 0)  // north-east quadrant
        #expect(t.mercatorBounds == BoundingBox(minX: 0, minY: 0, maxX: Self.e, maxY: Self.e))
    }

    @Test func tmsRowIsFlipped() throws {
        let t = try TileKey(z: 15, x: 29064, y: 12935)
        #expect(t.tmsY == 19832)
        #expect(try TileKey(z: 15, x: 29064, tmsY: 19832) == t)
        #expect(try TileKey(z: 0, x: 0, y: 0).tmsY == 0)
    }

    @Test func parentAndChildrenAreConsistent() throws {
        let t = try TileKey(z: 15, x: 29064, y: 12935)
        #expect(t.parent == (try TileKey(z: 14, x: 14532, y: 6467)))
        #expect(t.children.count == 4)
        #expect(t.children.allSatisfy { $0.parent == t })
        #expect(Set(t.children.map(\.mercatorBounds)).count == 4)
        let union = t.children.map(\.mercatorBounds).reduce(t.children[0].mercatorBounds) { $0.union($1) }
        #expect(union == t.mercatorBounds)
        #expect(try TileKey(z: 0, x: 0, y: 0).parent == nil)
        #expect(try TileKey(z: 30, x: 0, y: 0).children.isEmpty)
    }

    @Test func keysOutsideTheGridAreRejected() {
        #expect(throws: GeometryError.invalidTileKey(z: 31, x: 0, y: 0, reason: "zoom must be 0...30")) { try TileKey(z: 31, x: 0, y: 0) }
        #expect(throws: GeometryError.invalidTileKey(z: 1, x: 2, y: 0, reason: "x must be 0...1 at zoom 1")) { try TileKey(z: 1, x: 2, y: 0) }
        #expect(throws: GeometryError.self) { try TileKey(z: 3, x: 0, y: -1) }
        #expect(!TileKey.isValid(z: -1, x: 0, y: 0))
        #expect(TileKey.isValid(z: 30, x: (1 << 30) - 1, y: 0))
    }

    @Test func exactTileBoundsCoverOnlyThatTile() throws {
        let t = try TileKey(z: 15, x: 29064, y: 12935)
        #expect(Array(try TileKey.covering(mercatorBounds: t.mercatorBounds, zoom: 15)) == [t])
        #expect(Array(try TileKey.covering(lonLatBounds: t.lonLatBounds, zoom: 15)) == [t])
    }

    @Test func slightlyLargerBoxCoversTheNeighbours() throws {
        let t = try TileKey(z: 15, x: 29064, y: 12935)
        let tiles = try TileKey.covering(mercatorBounds: t.mercatorBounds.expandedBy(1), zoom: 15)
        #expect(tiles.count == 9)
        #expect(tiles.first == (try TileKey(z: 15, x: 29063, y: 12934)))
        #expect(tiles.last == (try TileKey(z: 15, x: 29065, y: 12936)))
    }

    @Test func worldCoverAtZoomTwoIsSixteenTiles() throws {
        #expect(try TileKey.covering(mercatorBounds: WebMercator.worldBounds, zoom: 2).count == 16)
        #expect(try TileKey.covering(lonLatBounds: BoundingBox(minX: -180, minY: -90, maxX: 180, maxY: 90), zoom: 2).count == 16)
    }

    @Test func boxOffTheWorldCoversNothing() throws {
        let off = BoundingBox(minX: 3 * Self.e, minY: 0, maxX: 4 * Self.e, maxY: 1)
        #expect(try TileKey.covering(mercatorBounds: off, zoom: 3).isEmpty)
    }

    @Test func coveringAcceptsProjectedBoxes() throws {
        // Isehara city hall ±500 m in EPSG:6677 lies inside the z15 tile's neighbourhood.
        let hall = Coordinate(surveyX: -66841.137, surveyY: -47138.383)
        let box = BoundingBox(minX: hall.x - 50, minY: hall.y - 50, maxX: hall.x + 50, maxY: hall.y + 50)
        let tiles = try TileKey.covering(box, crs: .jgd2011ZoneIX, zoom: 15)
        #expect(Array(tiles) == [try TileKey(z: 15, x: 29064, y: 12935)])
    }

    @Test func closedFormMercatorRoundTrips() {
        let m = WebMercator.project(Self.cityHall)
        let back = WebMercator.unproject(m)
        #expect(abs(back.x - Self.cityHall.x) < 1e-12 && abs(back.y - Self.cityHall.y) < 1e-12)
    }

    @Test func decodingRejectsKeysOutsideTheGrid() throws {
        let ok = try JSONDecoder().decode(TileKey.self, from: Data(#"{"z":15,"x":29064,"y":12935}"#.utf8))
        #expect(ok == (try TileKey(z: 15, x: 29064, y: 12935)))
        #expect(throws: GeometryError.self) { try JSONDecoder().decode(TileKey.self, from: Data(#"{"z":2,"x":4,"y":0}"#.utf8)) }
    }
}
