import GeoCore
import Routing
import Testing

@Suite struct ShortestPathTests {
    /// 0 ──a (one-way east)── 100 ──b── 200 on y = 0; speed 5 m/s.
    let line = RoadGraph(segments: [Roads.seg("a", [(0, 0), (100, 0)], oneWay: 1), Roads.seg("b", [(100, 0), (200, 0)])],
                         profile: Roads.profile)

    func places(_ g: RoadGraph, _ pts: [(Double, Double)]) -> [SnappedPoint] {
        let snapper = RoadSnapper(graph: g, maxDistance: 50)
        return pts.map { snapper.snap(Coordinate(x: $0.0, y: $0.1)).point! }
    }

    @Test func timesAndDistancesFollowTheRoadsAndRespectOneWay() {
        let p = places(line, [(50, 5), (150, 5)])     // both north of the road: kerb side when driving east
        let m = TravelMatrix(graph: line, places: p, kerbPenaltyS: 30)
        #expect(m.time[0 * 2 + 1] == 20 && m.distance[0 * 2 + 1] == 100)
        #expect(m.time[1 * 2 + 0] == .infinity)       // back west along a is against its one-way
        #expect(m.time[0] == 0 && m.time[3] == 0)
    }

    @Test func theKerbSideIsPreferredWhenTheDetourCostsLessThanThePenalty() {
        let road = RoadGraph(segments: [Roads.seg("r", [(0, 0), (100, 0)])], profile: Roads.profile)
        let p = places(road, [(10, 5), (60, -5)])     // target south of an eastbound road: far side going east
        let strict = TravelMatrix(graph: road, places: p, kerbPenaltyS: 30)
        #expect(strict.time[1] == 26 && strict.distance[1] == 130)   // on to the end, turn, come back west
        let lax = TravelMatrix(graph: road, places: p, kerbPenaltyS: 5)
        #expect(lax.time[1] == 15 && lax.distance[1] == 50)          // straight along, stop across the road
    }

    @Test func keptPathsDrawTheRouteAlongTheRoads() {
        let p = places(line, [(50, 5), (150, 5)])
        let m = TravelMatrix(graph: line, places: p, keepPaths: true)
        #expect(m.path(from: 0, to: 1, in: line) == [Coordinate(x: 50, y: 0), Coordinate(x: 100, y: 0), Coordinate(x: 150, y: 0)])
        #expect(m.path(from: 1, to: 0, in: line).isEmpty)
    }

    @Test func parallelWorkersGiveTheSameMatrixAsOne() {
        var segs: [RoadSegment] = []
        for i in 0..<10 { for j in 0..<10 {
            let x = Double(i) * 100, y = Double(j) * 100
            if i < 9 { segs.append(Roads.seg("h\(i)-\(j)", [(x, y), (x + 100, y)], oneWay: (i + j) % 3 == 0 ? 1 : 0)) }
            if j < 9 { segs.append(Roads.seg("v\(i)-\(j)", [(x, y), (x, y + 100)], cls: "1級")) }
        } }
        let g = RoadGraph(segments: segs, profile: Roads.profile)
        var pts: [(Double, Double)] = []
        for k in 0..<30 { pts.append((Double(k * 37 % 900) + 3, Double(k * 53 % 900) + 7)) }
        let p = places(g, pts)
        let one = TravelMatrix(graph: g, places: p, kerbPenaltyS: 30, workers: 1)
        let two = TravelMatrix(graph: g, places: p, kerbPenaltyS: 30, workers: 2)
        #expect(one.time == two.time && one.distance == two.distance)
        #expect(one.time.allSatisfy { (t: Double) in t.isFinite })
    }
}
