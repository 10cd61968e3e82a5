import GeoCore
import Routing
import Testing

/// Small hand-made networks in metres (x east, y north).
enum Roads {
    static func seg(_ id: String, _ pts: [(Double, Double)], cls: String = "その他市道", width: Double? = 5,
                    oneWay: Int = 0) -> RoadSegment {
        RoadSegment(id: id, points: pts.map { Coordinate(x: $0.0, y: $0.1) }, roadClass: cls, widthM: width, oneWay: oneWay)
    }
    static let profile = GraphProfile(speedsKmh: ["1級": 36, "default": 18], snapToleranceM: 0.5, minWidthM: 3,
                                      maxSnapDistanceM: 50, kerbPenaltyS: 30)
}

@Suite struct RoadGraphTests {
    @Test func endsWithinTheToleranceJoinIntoOneNode() {
        let g = RoadGraph(segments: [Roads.seg("a", [(0, 0), (100, 0)]), Roads.seg("b", [(100.3, 0.2), (200, 0)])],
                          profile: Roads.profile)
        #expect(g.nodeCount == 3)
        #expect(g.componentSizes == [3])
    }

    @Test func endsFartherThanTheToleranceStaySeparateComponents() {
        let g = RoadGraph(segments: [Roads.seg("a", [(0, 0), (100, 0)]), Roads.seg("b", [(101, 0), (200, 0)])],
                          profile: Roads.profile)
        #expect(g.nodeCount == 4)
        #expect(g.componentSizes == [2, 2])
        #expect(g.report.contains("2 nodes unreachable"))
    }

    @Test func travelTimeFollowsTheSpeedOfTheRoadClass() {
        let g = RoadGraph(segments: [Roads.seg("a", [(0, 0), (50, 0), (100, 0)], cls: "1級")], profile: Roads.profile)
        #expect(g.arcCount == 2)
        #expect(g.arcLength.allSatisfy { abs($0 - 100) < 1e-9 })
        #expect(g.arcTime.allSatisfy { abs($0 - 10) < 1e-9 })  // 36 km/h = 10 m/s
    }

    @Test func oneWaySegmentsGetOneArcInTheAllowedDirection() {
        let g = RoadGraph(segments: [Roads.seg("f", [(0, 0), (100, 0)], oneWay: 1),
                                     Roads.seg("r", [(100, 0), (200, 0)], oneWay: -1)], profile: Roads.profile)
        #expect(g.arcCount == 2)
        let start = g.nodes.firstIndex { $0.x == 0 }!, mid = g.nodes.firstIndex { $0.x == 100 }!
        let end = g.nodes.firstIndex { $0.x == 200 }!
        // f: 0 → 100 only; r: digitised 100 → 200, allowed only 200 → 100.
        #expect(g.offsets[start + 1] - g.offsets[start] == 1 && Int(g.heads[Int(g.offsets[start])]) == mid)
        #expect(g.offsets[end + 1] - g.offsets[end] == 1 && Int(g.heads[Int(g.offsets[end])]) == mid)
        #expect(g.offsets[mid + 1] - g.offsets[mid] == 0)
    }

    @Test func roadsNarrowerThanTheTruckAreExcludedAndReported() {
        let g = RoadGraph(segments: [Roads.seg("wide", [(0, 0), (100, 0)]),
                                     Roads.seg("lane", [(100, 0), (200, 0)], width: 2.5)], profile: Roads.profile)
        #expect(g.segments.map(\.id) == ["wide"])
        #expect(g.excluded == [.tooNarrow(id: "lane", widthM: 2.5, minimumM: 3)])
        #expect(g.report.contains("segment lane: 2.5 m wide"))
    }

    @Test func pointsSnapToTheNearestUsableRoadWithPositionDistanceAndSide() {
        let g = RoadGraph(segments: [Roads.seg("a", [(0, 0), (100, 0)]), Roads.seg("lane", [(0, 10), (100, 10)], width: 2)],
                          profile: Roads.profile)
        let snapper = RoadSnapper(graph: g, maxDistance: 50)
        // Nearer to the narrow lane, but the lane is closed to the truck.
        let p = snapper.snap(Coordinate(x: 30, y: 8)).point!
        #expect(g.segments[p.segment].id == "a")
        #expect(abs(p.offset - 30) < 1e-9 && abs(p.distance - 8) < 1e-9)
        #expect(p.side == .left)   // north of an eastbound segment
        #expect(snapper.snap(Coordinate(x: 60, y: -5)).point?.side == .right)
    }

    @Test func pointsFartherThanTheLimitAreReportedNotSnapped() {
        let g = RoadGraph(segments: [Roads.seg("a", [(0, 0), (100, 0)])], profile: Roads.profile)
        let snapper = RoadSnapper(graph: g, maxDistance: 50)
        #expect(snapper.snap(Coordinate(x: 50, y: 70)) == .tooFar(nearest: 70))
        #expect(snapper.snap(Coordinate(x: 5000, y: 5000)) == .tooFar(nearest: nil))
    }

    @Test func sliceFollowsTheCentrelineInEitherDirection() {
        let g = RoadGraph(segments: [Roads.seg("a", [(0, 0), (100, 0), (100, 100)])], profile: Roads.profile)
        #expect(g.slice(segment: 0, from: 50, to: 150) == [Coordinate(x: 50, y: 0), Coordinate(x: 100, y: 0), Coordinate(x: 100, y: 50)])
        #expect(g.slice(segment: 0, from: 150, to: 50).first == Coordinate(x: 100, y: 50))
    }
}
