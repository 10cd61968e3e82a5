import Testing
@testable import GeoCore

@Suite struct PreparedGeometryTests {
    typealias F = Fixtures

    @Test func containsInteriorPointsOnly() throws {
        let p = try PreparedGeometry(F.square(0, 0, side: 10))
        #expect(try p.contains(F.c(5, 5)))
        #expect(try !p.contains(F.c(15, 5)))
        #expect(try !p.contains(F.c(10, 5)), "boundary is not interior")
        #expect(try p.covers(F.c(10, 5)), "covers includes the boundary")
    }

    @Test func holesAreOutside() throws {
        let p = try PreparedGeometry(Geometry(wkt: "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))"))
        #expect(try !p.contains(F.c(3, 3)))
        #expect(try p.contains(F.c(5, 5)))
    }

    @Test func agreesWithUnpreparedContainsOnAGridOfPoints() throws {
        let disk = try Geometry.point(F.c(50, 50)).buffer(40)
        let p = try PreparedGeometry(disk)
        var inside = 0
        for i in 0..<40 {
            for j in 0..<40 {
                let c = F.c(Double(i) * 2.5 + 0.1, Double(j) * 2.5 + 0.1)
                let fast = try p.contains(c)
                if (i * 40 + j) % 37 == 0 { #expect(try fast == disk.contains(.point(c))) }
                if fast { inside += 1 }
            }
        }
        // The grid cell is 2.5 × 2.5, so the inside count approximates area / 6.25.
        #expect(abs(Double(inside) - (try disk.area) / 6.25) < 40)
    }

    @Test func geometryPredicatesWork() throws {
        let p = try PreparedGeometry(F.square(0, 0, side: 10))
        #expect(try p.contains(F.square(1, 1, side: 2)))
        #expect(try !p.contains(F.square(9, 9, side: 2)))
        #expect(try p.intersects(F.square(9, 9, side: 2)))
        #expect(try !p.intersects(F.square(20, 20, side: 2)))
    }
}
