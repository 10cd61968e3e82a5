import Foundation
import Testing
@testable import GeoCore

@Suite struct GEOSOperationTests {
    typealias F = Fixtures
    static let bowTie = "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"

    @Test func bowTieIsInvalidWithSelfIntersectionReason() throws {
        let g = try Geometry(wkt: Self.bowTie)
        #expect(try !g.isValid)
        #expect(try g.validityReason() == "Self-intersection[1 1]")
    }

    @Test func validPolygonHasNoValidityReason() throws {
        let g = try F.square(0, 0, side: 1)
        #expect(try g.isValid)
        #expect(try g.validityReason() == nil)
    }

    @Test func makeValidSplitsBowTieIntoTwoTriangles() throws {
        let fixed = try Geometry(wkt: Self.bowTie).makeValid()
        #expect(fixed.geometryType == .multiPolygon)
        #expect(try fixed.isValid)
        #expect(try fixed.area == 2)
        guard case let .multiPolygon(parts) = fixed.value else { Issue.record("not a multipolygon"); return }
        #expect(parts.count == 2)
    }

    @Test func makeValidDropsDanglingLinesFromPolygons() throws {
        // GEOS repairs this spiked polygon into GEOMETRYCOLLECTION(POLYGON, LINESTRING).
        let spiked = try Geometry(wkt: "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0, -5 0, 0 0))")
        let fixed = try spiked.makeValid()
        #expect(fixed.geometryType == .polygon)
        #expect(try fixed.area == 100)
        #expect(try fixed.isValid)
    }

    @Test func makeValidOfCollapsedPolygonIsEmptyPolygon() throws {
        let flat = try Geometry(wkt: "POLYGON ((0 0, 10 0, 0 0, 0 0))")
        let fixed = try flat.makeValid()
        #expect(fixed.geometryType == .polygon)
        #expect(fixed.isEmpty)
    }

    @Test func makeValidLeavesValidGeometryAlone() throws {
        let g = try F.square(0, 0, side: 3)
        #expect(try g.makeValid().isTopologicallyEqual(to: g))
    }

    @Test func clipKeepsOnlyThePartInsideTheBox() throws {
        let clipped = try F.square(0, 0, side: 10).clipped(to: BoundingBox(minX: 5, minY: 5, maxX: 15, maxY: 15))
        #expect(try clipped.area == 25)
        #expect(clipped.boundingBox == BoundingBox(minX: 5, minY: 5, maxX: 10, maxY: 10))
    }

    @Test func clipOfLineOutsideTheBoxIsEmpty() throws {
        let line = try Geometry(.lineString([F.c(0, 0), F.c(1, 1)]))
        #expect(try line.clipped(to: BoundingBox(minX: 5, minY: 5, maxX: 6, maxY: 6)).isEmpty)
    }

    @Test func simplifyRemovesWigglesBelowTolerance() throws {
        let wiggly = try Geometry(.lineString([F.c(0, 0), F.c(1, 0.01), F.c(2, -0.01), F.c(3, 0.01), F.c(4, 0)]))
        #expect(try wiggly.simplified(tolerance: 0.1).value == .lineString([F.c(0, 0), F.c(4, 0)]))
        #expect(try wiggly.simplified(tolerance: 0.001).coordinates.count == 5)
    }

    @Test func bufferOfPointApproximatesACircle() throws {
        let disk = try Geometry.point(F.c(0, 0)).buffer(10)
        #expect(disk.geometryType == .polygon)
        // 8 segments per quadrant: a 32-gon inscribed in the circle.
        let expected = 0.5 * 32 * 100 * sin(2 * Double.pi / 32)
        #expect(abs(try disk.area - expected) < 1e-9)
        #expect(disk.boundingBox == BoundingBox(minX: -10, minY: -10, maxX: 10, maxY: 10))
    }

    @Test func negativeBufferShrinksPolygons() throws {
        #expect(try F.square(0, 0, side: 10).buffer(-1).area == 64)
    }

    @Test func distanceBetweenPointsIsEuclidean() throws {
        #expect(try Geometry.point(F.c(0, 0)).distance(to: .point(F.c(3, 4))) == 5)
    }

    @Test func distanceToPolygonIsToItsNearestEdgeAndZeroInside() throws {
        let sq = try F.square(0, 0, side: 10)
        #expect(try sq.distance(to: .point(F.c(13, 5))) == 3)
        #expect(try sq.distance(to: .point(F.c(5, 5))) == 0)
    }

    @Test func lengthOfLineAndPerimeterOfPolygon() throws {
        #expect(try Geometry(.lineString([F.c(0, 0), F.c(3, 4), F.c(3, 10)])).length == 11)
        #expect(try F.square(0, 0, side: 10).length == 40)
        #expect(try Geometry.point(F.c(1, 1)).length == 0)
    }

    @Test func areaSubtractsHoles() throws {
        let g = try Geometry(wkt: "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))")
        #expect(try g.area == 96)
    }

    @Test func predicatesFollowOGCDefinitions() throws {
        let big = try F.square(0, 0, side: 10), small = try F.square(2, 2, side: 1), far = try F.square(20, 20, side: 1)
        #expect(try big.contains(small))
        #expect(try small.within(big))
        #expect(try !big.within(small))
        #expect(try big.intersects(small))
        #expect(try !big.intersects(far))
        #expect(try !big.contains(.point(F.c(10, 5))), "boundary points are not contained")
        #expect(try big.intersects(.point(F.c(10, 5))))
    }

    @Test func isWithinDistanceIsInclusive() throws {
        let a = Geometry.point(F.c(0, 0)), b = Geometry.point(F.c(3, 4))
        #expect(try a.isWithinDistance(5, of: b))
        #expect(try !a.isWithinDistance(4.99, of: b))
    }

    @Test func centroidOfSquareIsItsCentre() throws {
        #expect(try F.square(0, 0, side: 10).centroid == F.c(5, 5))
        #expect(try Geometry(.polygon([])).centroid == nil)
    }

    @Test func envelopeIsTheBoundingRectangle() throws {
        let line = try Geometry(.lineString([F.c(0, 0), F.c(4, 3)]))
        #expect(try line.envelope.isTopologicallyEqual(to: BoundingBox(minX: 0, minY: 0, maxX: 4, maxY: 3).polygon))
    }

    @Test func intersectionAndUnionOfOverlappingSquares() throws {
        let a = try F.square(0, 0, side: 2), b = try F.square(1, 1, side: 2)
        #expect(try a.intersection(b).area == 1)
        #expect(try a.union(b).area == 7)
    }

    @Test func normalizedGeometriesCompareEqualRegardlessOfStartVertex() throws {
        let a = try Geometry(wkt: "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")
        let b = try Geometry(wkt: "POLYGON ((1 1, 0 1, 0 0, 1 0, 1 1))")
        #expect(a != b)
        #expect(try a.normalized() == b.normalized())
    }

    @Test func geosFailuresCarryGEOSOwnMessage() throws {
        do {
            _ = try F.square(0, 0, side: 1).simplified(tolerance: -1)
            Issue.record("expected GEOS to refuse a negative tolerance")
        } catch let GeometryError.geos(operation, message) {
            #expect(operation == "GEOSTopologyPreserveSimplify_r")
            #expect(message.localizedCaseInsensitiveContains("tolerance"), "\(message)")
        }
    }
}
