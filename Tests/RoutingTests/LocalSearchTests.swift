@testable import Routing
import Testing

/// The local search's O(1) bounds and cached arcs against full recomputation of the routes they describe.
@Suite struct LocalSearchTests {
    /// Single trips (pruned moves), multi-trip with unloading, and time windows (no pruning).
    static let cases: [(name: String, problem: RoutingProblem)] = {
        let demands = (0..<60).map { Double(3 + ($0 * 29) % 17) }
        let single = Fixture.problem(points: Fixture.cloud(61, seed: 3), demands: demands, capacity: 70, trucks: 60,
                                     maxTrips: 1, objective: .distanceOnly)
        let multi = Fixture.problem(points: Fixture.cloud(62, seed: 9), demands: demands, capacity: 90, trucks: 3,
                                    shift: 0...40_000, facility: 61, service: 60, unload: 600)
        let windows: [TimeWindow?] = (0..<60).map { $0 % 4 == 0 ? TimeWindow(earliest: Double($0) * 200,
                                                                                   latest: Double($0) * 200 + 1800) : nil }
        let timed = Fixture.problem(points: Fixture.cloud(61, seed: 5), demands: demands, capacity: 80, trucks: 30,
                                    shift: 0...30_000, service: 30, maxTrips: 1, windows: windows)
        return [("single trips", single), ("multi-trip", multi), ("time windows", timed)]
    }()

    /// Clients 1...S dealt into routes in a seeded random order, at most `limit` routes.
    private func randomRoutes(_ data: SolverData, seed: UInt64) -> [[Int32]] {
        var rng = SeededRandom(seed: seed)
        var clients = (1...data.clientCount).map { Int32($0) }
        rng.shuffle(&clients)
        let count = min(data.maxRoutes, max(1, data.clientCount / 6))
        var routes = [[Int32]](repeating: [], count: count)
        for (k, c) in clients.enumerated() { routes[k % count].append(c) }
        return routes
    }

    private func penalisedCost(_ routes: [[Int32]], _ data: SolverData, _ p: Penalties) -> Double {
        routes.reduce(0) { $0 + data.cost(data.routeSegment($1), p) }
    }

    @Test(arguments: 0..<cases.count)
    func aLocalOptimumHasNoImprovingRelocateOrSwapAmongNeighbours(_ index: Int) {
        let data = SolverData(problem: Self.cases[index].problem, granularity: 8)
        let search = LocalSearch(data: data)
        let penalties = Penalties(capacity: 20, time: 1)
        var rng = SeededRandom(seed: 7)
        let routes = search.run(randomRoutes(data, seed: 11), penalties: penalties, rng: &rng)
        let base = penalisedCost(routes, data, penalties)
        var place = [Int: (route: Int, index: Int)]()
        for (r, route) in routes.enumerated() { for (i, c) in route.enumerated() { place[Int(c)] = (r, i) } }
        // Every relocate of u right after a neighbour v, and every 1–1 swap, recomputed from scratch.
        for u in 1...data.clientCount {
            for v in data.neighbours[u].map(Int.init) {
                var moved = routes
                let (ru, iu) = place[u]!
                moved[ru].remove(at: iu)
                let (rv, _) = place[v]!
                let iv = moved[rv].firstIndex(of: Int32(v))!
                moved[rv].insert(Int32(u), at: iv + 1)
                let relocated = penalisedCost(moved, data, penalties)
                #expect(relocated >= base - 1e-6, "\(Self.cases[index].name): moving \(u) after \(v) saves \(base - relocated)")
                var swapped = routes
                let (sv, jv) = place[v]!
                swapped[ru][iu] = Int32(v)
                swapped[sv][jv] = Int32(u)
                let exchanged = penalisedCost(swapped, data, penalties)
                #expect(exchanged >= base - 1e-6, "\(Self.cases[index].name): swapping \(u) and \(v) saves \(base - exchanged)")
            }
        }
    }

    @Test(arguments: 0..<cases.count)
    func theIteratedStepKeepsEveryClientOnceAndIsDeterministicWithOrWithoutKeptRoutes(_ index: Int) {
        let data = SolverData(problem: Self.cases[index].problem, granularity: 8)
        let penalties = Penalties(capacity: 20, time: 1)
        func walk(seed: UInt64, reusing: Bool = true) -> [[[Int32]]] {
            let search = LocalSearch(data: data)
            search.reusesUnchangedRoutes = reusing
            var rng = SeededRandom(seed: seed)
            var routes = search.run(randomRoutes(data, seed: 5), penalties: penalties, rng: &rng)
            var steps: [[[Int32]]] = []
            for step in 0..<200 {
                routes = search.perturbAndImprove(routes, count: 1 + step % 25, penalties: penalties, rng: &rng)
                steps.append(routes)
            }
            return steps
        }
        let steps = walk(seed: 13)
        for routes in steps {
            #expect(routes.count <= data.maxRoutes)
            #expect(routes.flatMap { $0 }.sorted() == (1...data.clientCount).map { Int32($0) })
        }
        #expect(walk(seed: 13) == steps)
        // Routes kept from the previous step are exactly what recomputing them gives.
        #expect(walk(seed: 13, reusing: false) == steps)
    }

    @Test func theIteratedSearchPlansWithinCapacityAndShiftAndRepeatsForASeed() {
        var options = Fixture.quick
        options.iteratedSearchFrom = 1
        let problem = Self.cases[1].problem
        let a = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 4, maxIterations: 300, options: options)
        let b = RoutingSolver.solve(problem, timeLimit: .seconds(30), seed: 4, maxIterations: 300, options: options)
        #expect(a.isFeasible, "\(a.infeasibilityReport)")
        #expect(a.trucks.map { $0.trips.map(\.stops) } == b.trucks.map { $0.trips.map(\.stops) })
        #expect(a.trucks.count <= problem.fleet.trucks)
        for truck in a.trucks {
            for trip in truck.trips { #expect(trip.load <= problem.fleet.capacity) }
        }
    }
}
