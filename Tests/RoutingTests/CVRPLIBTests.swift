import Foundation
import Routing
import Testing
import TestSupport

let cvrplib = TestSupport.sharedDirectory.appendingPathComponent("data/cvrplib")

@Suite struct CVRPLIBTests {
    @Test func readerParsesX101AndItsSolutionCostMatches() throws {
        let instance = try CVRPLIBInstance(contentsOf: cvrplib.appendingPathComponent("X-n101-k25.vrp"))
        #expect(instance.dimension == 101)
        #expect(instance.capacity == 206)
        #expect(instance.minimumVehicles == 25)
        let (routes, bks) = try CVRPLIBInstance.readSolution(contentsOf: cvrplib.appendingPathComponent("X-n101-k25.sol"))
        #expect(bks == 27591)
        let problem = instance.routingProblem()
        let solution = RoutingSolution(problem: problem, tripsPerTruck: routes.map { [$0.map { $0 - 1 }] })
        #expect(solution.violations.isEmpty, "\(solution.violations)")
        #expect(solution.cost == bks)
    }

    @Test func smallBudgetOnX101IsFeasibleAndWithinEightPercent() throws {
        let instance = try CVRPLIBInstance(contentsOf: cvrplib.appendingPathComponent("X-n101-k25.vrp"))
        let problem = instance.routingProblem()
        var options = SolverOptions()
        options.populationSize = 4
        options.generationSize = 8
        let solution = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 1, maxIterations: 20, options: options)
        #expect(validate(solution, problem).isEmpty)
        #expect(solution.isFeasible)
        #expect(solution.cost <= 27591 * 1.08, "cost \(solution.cost)")
    }
}

@Suite struct VRPLIBExportTests {
    @Test func theExportIsAnExplicitMatrixInstanceWithTheFacilityAsDepot() {
        let p = Fixture.problem(points: [(0, 0), (100, 0), (0, 100), (100, 100)], demands: [10.5, 20], capacity: 50, trucks: 2,
                                facility: 1, service: 60)
        let text = p.vrplib(name: "t")
        #expect(text.contains("DIMENSION : 3") && text.contains("EDGE_WEIGHT_FORMAT : FULL_MATRIX") && text.contains("CAPACITY : 50"))
        // Rows: facility (location 1), then the stops at locations 2 and 3; times are metres / 10.
        #expect(text.contains("EDGE_WEIGHT_SECTION\n0 14 10\n14 0 10\n10 10 0\n"))
        #expect(text.contains("DEMAND_SECTION\n1 0\n2 11\n3 20\n"))
        #expect(text.contains("SERVICE_TIME_SECTION\n1 0\n2 60\n3 60\n"))
    }

    @Test func referenceInstanceKeepsTheMultiTripProblemInWholeNumbers() throws {
        // Depot 0, facility at location 3, four stops; 2 trucks of 30 kg: several trips.
        let problem = Fixture.problem(points: [(0, 0), (100, 0), (0, 100), (500, 500), (100, 100), (205, 0)],
                                      demands: [10, 20, 15, 12.5], capacity: 30, trucks: 2, shift: 28_800...57_600,
                                      facility: 3, service: 60, unload: 600)
        let reference = ReferenceInstance(problem)
        #expect(reference.travelTime.count == 6 && reference.travelTime[0][1] == 71)   // depot → facility (707 m at 10 m/s)
        #expect(reference.demands == [10, 20, 15, 13] && reference.serviceTimes == [60, 60, 60, 60])
        #expect(reference.shiftStart == 28_800 && reference.shiftEnd == 57_600 && reference.unloadTime == 600)
        let decoded = try JSONDecoder().decode(ReferenceInstance.self, from: JSONEncoder().encode(reference)).validated()
        #expect(decoded == reference)
        // Solved back as Chizu's problem: the same totals as the evaluator in bench/real_instance_pyvrp.py would find.
        let again = decoded.problem
        #expect(again.depot == 0 && again.facility == 1 && again.stops.map(\.location) == [2, 3, 4, 5])
        let solution = RoutingSolver.solve(again, timeLimit: .seconds(2), seed: 1, maxIterations: 200, options: Fixture.quick)
        #expect(solution.isFeasible && solution.tripCount >= 2, "\(solution.infeasibilityReport)")
        var expected = 0
        for truck in solution.trucks {
            var at = 0
            for trip in truck.trips {
                for s in trip.stops { expected += decoded.travelTime[at][s + 2] + decoded.serviceTimes[s]; at = s + 2 }
                expected += decoded.travelTime[at][1] + decoded.unloadTime; at = 1
            }
            expected += decoded.travelTime[1][0]
        }
        #expect(Int(solution.totalTime.rounded()) == expected)
        let json = ReferenceInstance.solutionJSON(solution)
        #expect(json.hasPrefix("{\"trucks\":[[[") && json.contains("\"feasible\":true"))
    }

    @Test func referenceInstanceOfTheWrongShapeIsRefused() throws {
        var reference = ReferenceInstance(Fixture.problem(points: [(0, 0), (1, 1), (2, 2)], demands: [1, 1], capacity: 5, trucks: 1))
        reference.distance.removeLast()
        #expect(throws: CVRPLIBError.self) { try reference.validated() }
        reference = ReferenceInstance(Fixture.problem(points: [(0, 0), (1, 1), (2, 2)], demands: [1, 1], capacity: 5, trucks: 1))
        reference.demands[0] = -3
        #expect(throws: CVRPLIBError.self) { try reference.validated() }
    }
}
