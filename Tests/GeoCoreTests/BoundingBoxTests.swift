import Testing
@testable import GeoCore

@Suite struct BoundingBoxTests {
    let a = BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 5)

    @Test func sizeAndCentre() {
        #expect(a.width == 10 && a.height == 5)
        #expect(a.center == Coordinate(x: 5, y: 2.5))
    }

    @Test func unionSpansBoth() {
        #expect(a.union(BoundingBox(minX: -1, minY: 2, maxX: 3, maxY: 9)) == BoundingBox(minX: -1, minY: 0, maxX: 10, maxY: 9))
    }

    @Test func touchingBoxesIntersect() {
        #expect(a.intersects(BoundingBox(minX: 10, minY: 5, maxX: 11, maxY: 6)))
        #expect(!a.intersects(BoundingBox(minX: 10.001, minY: 0, maxX: 11, maxY: 6)))
        #expect(a.intersection(BoundingBox(minX: 5, minY: -5, maxX: 20, maxY: 1)) == BoundingBox(minX: 5, minY: 0, maxX: 10, maxY: 1))
        #expect(a.intersection(BoundingBox(minX: 50, minY: 50, maxX: 60, maxY: 60)) == nil)
    }

    @Test func containsPointsOnTheEdgeAndInnerBoxes() {
        #expect(a.contains(Coordinate(x: 10, y: 5)))
        #expect(!a.contains(Coordinate(x: 10, y: 5.1)))
        #expect(a.contains(BoundingBox(minX: 1, minY: 1, maxX: 10, maxY: 5)))
        #expect(!a.contains(BoundingBox(minX: 1, minY: 1, maxX: 11, maxY: 5)))
    }

    @Test func expandedByGrowsEverySide() {
        #expect(a.expandedBy(2) == BoundingBox(minX: -2, minY: -2, maxX: 12, maxY: 7))
    }

    @Test func buildsFromCoordinatesAndPolygon() throws {
        #expect(BoundingBox(containing: [Coordinate]()) == nil)
        #expect(BoundingBox(containing: [Coordinate(x: 3, y: 1), Coordinate(x: -1, y: 2)]) == BoundingBox(minX: -1, minY: 1, maxX: 3, maxY: 2))
        #expect(try a.polygon.area == 50)
    }
}
