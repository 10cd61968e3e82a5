import Routing
import Testing

@Suite struct ConstraintTests {
    /// 12 stops of 25 kg, trucks of 100 kg: three loads, unloaded at a facility away from the depot.
    private func threeLoads(trucks: Int, shiftEnd: Double) -> RoutingProblem {
        var points = [(0.0, 0.0), (3000.0, 0.0)]
        points += Fixture.cloud(12, seed: 9, size: 2000)
        return Fixture.problem(points: points, demands: Array(repeating: 25, count: 12), capacity: 100,
                               trucks: trucks, shift: 8.5 * 3600...shiftEnd, facility: 1, service: 60, unload: 900)
    }

    @Test func oneTruckMakesSeveralTripsUnloadingAtTheFacility() {
        let problem = threeLoads(trucks: 1, shiftEnd: 16 * 3600)
        let solution = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 1, maxIterations: 30,
                                           options: Fixture.quick)
        #expect(solution.isFeasible, "\(solution.infeasibilityReport)")
        #expect(solution.trucks.count == 1)
        let trips = solution.trucks[0].trips
        #expect(trips.count >= 3)
        for (k, trip) in trips.enumerated() {
            #expect(trip.load <= 100)
            #expect(trip.unloadEnd == trip.facilityArrival + 900)
            if k > 0 { #expect(trip.departure >= trips[k - 1].unloadEnd) }
        }
        #expect(solution.trucks[0].returnTime <= 16 * 3600)
    }

    /// A small day whose loads need several trips: unloading (900 s) costs more than the arcs, so weak
    /// starting penalties once made the search return one over-full trip.
    @Test func aSmallDayOfSeveralLoadsIsPlannedWithinCapacity() {
        for n in 3...8 {
            var points = [(0.0, 0.0), (3000.0, 0.0)]
            points += Fixture.cloud(n, seed: 9, size: 2000)
            let problem = Fixture.problem(points: points, demands: Array(repeating: 25, count: n), capacity: 50, trucks: 2,
                                          shift: 8.5 * 3600...16 * 3600, facility: 1, service: 60, unload: 900)
            let solution = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 1, maxIterations: 10, options: Fixture.quick)
            #expect(solution.isFeasible, "\(n) stops: \(solution.infeasibilityReport)")
            #expect(solution.tripCount == (n + 1) / 2, "\(n) stops of 25 kg in trips of 50 kg")
        }
    }

    @Test func tooShortAShiftIsReportedInfeasible() {
        let problem = threeLoads(trucks: 1, shiftEnd: 9 * 3600)
        let solution = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 1, maxIterations: 10,
                                           options: Fixture.quick)
        #expect(!solution.isFeasible)
        #expect(solution.infeasibilityReport.contains("shift"), "\(solution.infeasibilityReport)")
        #expect(solution.violations.contains { if case .returnsAfterShift = $0 { true } else { false } })
    }

    @Test func diagnoseReportsAStopHeavierThanATruck() {
        let problem = Fixture.problem(points: Fixture.cloud(4, seed: 2), demands: [50, 150, 20], capacity: 100,
                                      trucks: 2)
        let found = problem.diagnose()
        #expect(found == [.stopHeavierThanCapacity(stop: 1, demand: 150, capacity: 100)])
        #expect(found[0].description.contains("stop 1 has 150 kg, more than a truck carries (100 kg)"))
    }

    @Test func timeWindowsAreRespected() {
        // Stops on a line; windows force visiting the far stop first.
        let points = [(0.0, 0.0), (1000.0, 0.0), (2000.0, 0.0), (3000.0, 0.0), (4000.0, 0.0)]
        let windows: [TimeWindow?] = [TimeWindow(earliest: 1500, latest: 1800), nil,
                                      TimeWindow(earliest: 0, latest: 600), TimeWindow(earliest: 1000, latest: 1300)]
        let problem = Fixture.problem(points: points, demands: [1, 1, 1, 1], capacity: 10, trucks: 1,
                                      shift: 0...7200, service: 30, maxTrips: 1, windows: windows)
        let solution = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 1, maxIterations: 30,
                                           options: Fixture.quick)
        #expect(solution.isFeasible, "\(solution.infeasibilityReport)")
        for visit in solution.trucks.flatMap({ $0.trips.flatMap(\.visits) }) {
            if let window = problem.stops[visit.stop].timeWindow {
                #expect(visit.serviceStart >= window.earliest && visit.serviceStart <= window.latest)
            }
        }
        #expect(solution.trucks.first?.trips.first?.stops.first == 2)
    }
}
