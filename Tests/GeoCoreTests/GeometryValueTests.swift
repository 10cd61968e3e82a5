import Testing
@testable import GeoCore

@Suite struct GeometryValueTests {
    typealias F = Fixtures

    @Test func everyTypeSurvivesTheTripThroughGeometry() throws {
        for v in F.everyType where !(v.geometryType == .point && v.isEmpty) {
            #expect(try Geometry(v).value == v, "\(v.geometryType)")
        }
        #expect(try Geometry(.emptyPoint).value.isEmpty)
    }

    @Test func geometryTypeIsReadFromTheHeader() throws {
        for v in F.everyType {
            #expect(try Geometry(v).geometryType == v.geometryType)
        }
    }

    @Test func emptinessIsReportedPerType() throws {
        #expect(Geometry.emptyPoint.isEmpty)
        #expect(try Geometry(.polygon([])).isEmpty)
        #expect(try Geometry(.geometryCollection([.lineString([])])).isEmpty)
        #expect(try !Geometry(.multiPoint([F.c(1, 2)])).isEmpty)
    }

    @Test func coordinatesAreWalkedInDocumentOrder() throws {
        let g = try Geometry(.geometryCollection([.point(F.c(9, 9)), .lineString([F.c(0, 0), F.c(1, 1)])]))
        #expect(g.coordinates == [F.c(9, 9), F.c(0, 0), F.c(1, 1)])
    }

    @Test func unclosedRingIsRejectedWithItsPosition() {
        let open = GeometryValue.polygon([[F.c(0, 0), F.c(1, 0), F.c(1, 1), F.c(0, 1)]])
        #expect(throws: GeometryError.invalidStructure(
            "Polygon ring 0 is not closed: first position (0.0, 0.0) differs from last (0.0, 1.0)")) {
            try Geometry(open)
        }
    }

    @Test func onePointLineStringIsRejected() {
        #expect(throws: GeometryError.invalidStructure("MultiLineString line 1 has 1 position, needs 0 or at least 2")) {
            try Geometry(.multiLineString([[F.c(0, 0), F.c(1, 1)], [F.c(0, 0)]]))
        }
    }

    @Test func nonFiniteCoordinatesAreFound() throws {
        let g = try Geometry(.lineString([F.c(0, 0), F.c(.infinity, 1)]))
        #expect(!g.hasOnlyFiniteCoordinates)
        #expect(throws: GeometryError.nonFiniteCoordinate(F.c(.infinity, 1))) { try g.checkFinite() }
        #expect(Geometry.emptyPoint.hasOnlyFiniteCoordinates)
    }

    @Test func boundingBoxSpansAllCoordinates() throws {
        let g = try Geometry(.multiPoint([F.c(3, -1), F.c(-2, 4), F.c(0, 0)]))
        #expect(g.boundingBox == BoundingBox(minX: -2, minY: -1, maxX: 3, maxY: 4))
        #expect(Geometry.emptyPoint.boundingBox == nil)
    }

    @Test func transformedReprojectsEveryCoordinateAndKeepsStructure() throws {
        let toLL = try CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84)
        let hall = Coordinate(surveyX: -66116, surveyY: -47083)
        let square = try Geometry(.polygon([F.rect(hall.x, hall.y, hall.x + 100, hall.y + 100)]))
        let ll = try square.transformed(with: toLL)
        guard case let .polygon(rings) = ll.value else { Issue.record("not a polygon"); return }
        #expect(rings.count == 1 && rings[0].count == 5)
        #expect(rings[0].first == rings[0].last)
        #expect(try rings[0] == toLL.transform(square.coordinates))
    }

    @Test func transformedRefusesNonFiniteCoordinates() throws {
        let toLL = try CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84)
        let g = try Geometry(.lineString([F.c(0, 0), F.c(.nan, 1)]))
        #expect(throws: GeometryError.self) { try g.transformed(with: toLL) }
    }

    @Test func equalGeometriesHashEqually() throws {
        let a = try F.square(0, 0, side: 1), b = try F.square(0, 0, side: 1)
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(try a != F.square(0, 0, side: 2))
    }
}
