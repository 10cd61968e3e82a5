import Routing

/// Small Euclidean problems for the tests: location 0 is the depot; times are metres at 10 m/s.
enum Fixture {
    static func problem(points: [(Double, Double)], demands: [Double], capacity: Double, trucks: Int,
                        shift: ClosedRange<Double> = 0...1e9, facility: Int = 0, service: Double = 0,
                        unload: Double = 0, maxTrips: Int? = nil, windows: [TimeWindow?]? = nil,
                        objective: ObjectiveWeights = .timeThenDistance) -> RoutingProblem {
        let n = points.count
        var metres = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let dx = points[i].0 - points[j].0, dy = points[i].1 - points[j].1
                metres[i * n + j] = (dx * dx + dy * dy).squareRoot().rounded()
            }
        }
        let stopLocations = (0..<n).filter { $0 != 0 && $0 != facility }
        let stops = stopLocations.enumerated().map { k, loc in
            Stop(location: loc, demand: demands[k], serviceTime: service, timeWindow: windows?[k] ?? nil)
        }
        return RoutingProblem(name: "fixture", locationCount: n, travelTime: metres.map { $0 / 10 }, distance: metres,
                              depot: 0, facility: facility, stops: stops,
                              fleet: Fleet(trucks: trucks, capacity: capacity, shiftStart: shift.lowerBound,
                                           shiftEnd: shift.upperBound, unloadTime: unload, maxTripsPerTruck: maxTrips),
                              objective: objective)
    }

    /// A reproducible cloud of points (depot first) from a linear congruential generator.
    static func cloud(_ count: Int, seed: UInt64, size: Double = 5000) -> [(Double, Double)] {
        var x = seed
        func next() -> Double {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return Double(x >> 33) / Double(1 << 31) * size
        }
        return (0..<count).map { _ in (next(), next()) }
    }

    static var quick: SolverOptions {
        var options = SolverOptions()
        options.populationSize = 4
        options.generationSize = 8
        return options
    }
}
