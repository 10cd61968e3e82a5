import GeoCore
import Layers
import RoutePlanning
import Routing
import Testing

@Suite struct DayInstanceTests {
    func seg(_ id: String, _ a: (Double, Double), _ b: (Double, Double), oneWay: Int = 0, width: Double = 5) -> RoadSegment {
        RoadSegment(id: id, points: [Coordinate(x: a.0, y: a.1), Coordinate(x: b.0, y: b.1)], roadClass: "その他市道",
                    widthM: width, oneWay: oneWay)
    }
    func point(_ id: String, _ x: Double, _ y: Double, kg: Double = 10, bundles: Int = 2) -> PickupPoint {
        PickupPoint(id: id, district: "", weightKg: kg, bundles: bundles, recordedAt: "2026-11-17T09:00:00+09:00",
                    position: Coordinate(x: x, y: y))
    }

    /// A street 0 → 300 east; a one-way spur north from (100, 0) to a dead end at (100, 200); a lane too narrow.
    var instance: DayInstance {
        get throws {
            try DayInstance(
                segments: [seg("main1", (0, 0), (100, 0)), seg("main2", (100, 0), (300, 0)),
                           seg("trap", (100, 0), (100, 200), oneWay: 1), seg("lane", (300, 0), (300, 500), width: 2)],
                facilities: [Facility(id: "D", kind: "車庫", name: "車庫", position: Coordinate(x: 0, y: 5)),
                             Facility(id: "F", kind: "資源化施設", name: "資源化センター", position: Coordinate(x: 300, y: 5))],
                points: [point("ok", 200, 5, kg: 30, bundles: 3), point("far", 300, 400), point("trapped", 105, 150)],
                settings: RoutingSettings(serviceFixedS: 60, servicePerBundleS: 10))
        }
    }

    @Test func pointsOffTheTrucksRoadsOrInOneWayTrapsAreReportedNotPlanned() throws {
        let day = try instance
        #expect(day.points.map(\.id) == ["ok"])
        #expect(day.offRoad.map(\.point.id) == ["far"])
        #expect(day.unreachable.map(\.id) == ["trapped"])
        #expect(day.report.contains("off road: far") && day.report.contains("unreachable: trapped"))
    }

    @Test func theProblemHasServiceTimeFixedPlusPerBundleAndRoadTravelTimes() throws {
        let day = try instance
        let p = day.problem(name: "t", fleet: Fleet(trucks: 1, capacity: 100, shiftStart: 0, shiftEnd: 36_000))
        #expect(p.stops.count == 1 && p.stops[0].demand == 30 && p.stops[0].serviceTime == 90)
        // その他市道 at 20 km/h: depot (x 0) to the stop (x 200) is 200 m, on the kerb side going east.
        #expect(abs(p.time(0, p.stops[0].location) - 200 / (20 / 3.6)) < 1e-9)
        #expect(p.metres(p.stops[0].location, 1) == 100)
    }

    @Test func routeSheetsAndGpxReadBackFromTheStoredGeoJSONMatchTheFreshPlan() throws {
        let day = try instance
        let problem = day.problem(name: "t", fleet: Fleet(trucks: 1, capacity: 100, shiftStart: 30_600, shiftEnd: 57_600))
        let plan = try RunPlan(date: "2026-11-17", instance: day, solution: RoutingSolution(problem: problem, tripsPerTruck: [[[0]]]))
        let stored = try PlanSheet(date: "2026-11-17", geoJSON: plan.geoJSON())
        #expect(stored.depotName == "車庫" && stored.facilityName == "資源化センター" && stored.trucks.map(\.number) == [1])
        #expect(stored.html() == plan.html())
        #expect(stored.gpx(try #require(stored.truck(1))) == plan.gpx(truckIndex: 0))
        #expect(plan.html().contains("<td>ok</td>") && plan.gpx(truckIndex: 0).contains("<name>1. ok</name>"))
    }
}
