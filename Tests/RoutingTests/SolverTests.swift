import Routing
import Testing

@Suite struct SolverTests {
    @Test func findsTheOptimumOfATinyInstance() {
        let points = Fixture.cloud(8, seed: 7, size: 1000)
        let demands: [Double] = [3, 4, 2, 5, 3, 4, 2]
        let problem = Fixture.problem(points: points, demands: demands, capacity: 10, trucks: 7,
                                      maxTrips: 1, objective: .distanceOnly)
        let solution = RoutingSolver.solve(problem, timeLimit: .seconds(10), seed: 3, maxIterations: 200,
                                           options: Fixture.quick)
        #expect(solution.isFeasible)
        #expect(solution.cost == bruteForceOptimum(problem))
    }

    @Test func sameSeedAndIterationsGiveTheSamePlan() {
        let problem = Fixture.problem(points: Fixture.cloud(41, seed: 11), demands: Array(repeating: 10, count: 40),
                                      capacity: 60, trucks: 40, maxTrips: 1)
        let a = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 42, maxIterations: 30, options: Fixture.quick)
        let b = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 42, maxIterations: 30, options: Fixture.quick)
        #expect(a.trucks.map { $0.trips.map(\.stops) } == b.trucks.map { $0.trips.map(\.stops) })
        #expect(a.cost == b.cost)
    }

    @Test func capacityIsNeverExceeded() {
        let demands = (0..<50).map { Double(5 + ($0 * 37) % 40) }
        let problem = Fixture.problem(points: Fixture.cloud(51, seed: 5), demands: demands, capacity: 100,
                                      trucks: 50, maxTrips: 1)
        let solution = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 1, maxIterations: 30,
                                           options: Fixture.quick)
        #expect(solution.isFeasible)
        for truck in solution.trucks {
            for trip in truck.trips { #expect(trip.load <= 100) }
        }
    }

    /// Exact optimum by enumerating giant tours and splitting each optimally (fine for 7 stops).
    private func bruteForceOptimum(_ problem: RoutingProblem) -> Double {
        var best = Double.infinity
        var order = Array(problem.stops.indices)
        func splitCost(_ tour: [Int]) -> Double {
            var potential = [Double](repeating: .infinity, count: tour.count + 1)
            potential[0] = 0
            for i in 0..<tour.count {
                var load = 0.0, metres = 0.0, at = problem.depot
                for j in i..<tour.count {
                    let stop = problem.stops[tour[j]]
                    load += stop.demand
                    if load > problem.fleet.capacity { break }
                    metres += problem.metres(at, stop.location)
                    at = stop.location
                    potential[j + 1] = min(potential[j + 1], potential[i] + metres + problem.metres(at, problem.depot))
                }
            }
            return potential[tour.count]
        }
        func permute(_ k: Int) {
            if k == order.count { best = min(best, splitCost(order)); return }
            for i in k..<order.count {
                order.swapAt(k, i)
                permute(k + 1)
                order.swapAt(k, i)
            }
        }
        permute(0)
        return best
    }
}
