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
}
