import Testing
@testable import GeoCore

/// GEOS and PROJ work done from many tasks at once must give exactly the serial results.
@Suite struct ConcurrencyTests {
    struct Result: Equatable, Sendable {
        var bufferArea: Double
        var clipped: Geometry
        var distance: Double
        var inside: Bool
        var projected: Geometry
    }

    static func work(_ i: Int, prepared: PreparedGeometry) throws -> Result {
        let hall = Coordinate(surveyX: -66116, surveyY: -47083)
        let origin = Coordinate(x: hall.x + Double(i % 17) * 37.5, y: hall.y + Double(i / 17) * 41.25)
        let line = try Geometry(.lineString([origin, Coordinate(x: origin.x + 120, y: origin.y + 35),
                                             Coordinate(x: origin.x + 60, y: origin.y + 200)]))
        let zone = try line.buffer(15 + Double(i % 5))
        let box = BoundingBox(minX: origin.x, minY: origin.y, maxX: origin.x + 80, maxY: origin.y + 80)
        return Result(bufferArea: try zone.area,
                      clipped: try zone.clipped(to: box),
                      distance: try line.distance(to: .point(hall)),
                      inside: try prepared.contains(origin),
                      projected: try zone.transformed(with: .between(.jgd2011ZoneIX, .wgs84)))
    }

    @Test func parallelTasksMatchSerialResults() async throws {
        let hall = Coordinate(surveyX: -66116, surveyY: -47083)
        let prepared = try PreparedGeometry(Geometry.point(hall).buffer(300))
        let count = 200
        let serial = try (0..<count).map { try Self.work($0, prepared: prepared) }
        let parallel = try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            for i in 0..<count {
                group.addTask { (i, try Self.work(i, prepared: prepared)) }
            }
            var out = [Result?](repeating: nil, count: count)
            for try await (i, r) in group { out[i] = r }
            return out
        }
        #expect(parallel.count == count)
        for i in 0..<count { #expect(parallel[i] == serial[i], "task \(i)") }
        #expect(serial.contains { $0.inside } && serial.contains { !$0.inside })
    }
}
