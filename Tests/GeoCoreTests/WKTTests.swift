import Testing
@testable import GeoCore

@Suite struct WKTTests {
    typealias F = Fixtures

    @Test func everyTypeRoundTripsThroughWKT() throws {
        for v in F.everyType {
            let g = try Geometry(v)
            #expect(try Geometry(wkt: g.wkt()) == g, "\(g.wkt())")
        }
    }

    @Test func polygonWithHoleIsWrittenInOGCForm() throws {
        let text = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 3, 3 3, 2 2))"
        #expect(try Geometry(wkt: text).wkt() == text)
    }

    @Test func emptyAndNestedGeometriesAreWritten() throws {
        #expect(Geometry.emptyPoint.wkt() == "POINT EMPTY")
        #expect(try Geometry(.polygon([])).wkt() == "POLYGON EMPTY")
        let gc = try Geometry(.geometryCollection([.emptyPoint, .lineString([F.c(0, 0), F.c(1, 1)])]))
        #expect(gc.wkt() == "GEOMETRYCOLLECTION (POINT EMPTY, LINESTRING (0 0, 1 1))")
    }

    @Test func decimalsRoundOrdinates() {
        let g = Geometry.point(F.c(139.31440001, 35.39649))
        #expect(g.wkt(decimals: 3) == "POINT (139.314 35.396)")
        #expect(g.wkt() == "POINT (139.31440001 35.39649)")
    }

    @Test func zIsDroppedOnReading() throws {
        #expect(try Geometry(wkt: "LINESTRING Z (0 0 5, 1 1 6)").value == .lineString([F.c(0, 0), F.c(1, 1)]))
    }

    @Test func malformedWKTIsAnInvalidWKTError() {
        do {
            _ = try Geometry(wkt: "POLYGON ((0 0, 1 1")
            Issue.record("expected an error")
        } catch let GeometryError.invalidWKT(message) {
            #expect(!message.isEmpty)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func unclosedRingInWKTIsAnInvalidWKTError() {
        #expect(throws: GeometryError.self) { try Geometry(wkt: "POLYGON ((0 0, 1 0, 1 1, 0 1))") }
    }
}
