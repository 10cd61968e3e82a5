import Foundation

/// One solved benchmark instance: cost, best-known cost and the gap to it.
public struct CVRPLIBBenchResult: Sendable {
    public var name: String
    public var customers: Int
    public var cost: Double
    /// Best-known cost from the `.sol` beside the `.vrp`, NaN when absent.
    public var bestKnown: Double
    public var seconds: Double
    public var iterations: Int
    public var feasible: Bool

    /// Gap to the best-known solution in percent.
    public var gapPercent: Double { (cost - bestKnown) / bestKnown * 100 }

    /// Header of `line`, tab-separated.
    public static let header = "instance\tn\tcost\tbks\tgap%\ttime_s\titerations\tfeasible"
    /// The result as one tab-separated line.
    public var line: String {
        "\(name)\t\(customers)\t\(Int(cost.rounded()))\t\(bestKnown.isNaN ? "?" : String(Int(bestKnown)))\t"
            + String(format: "%.2f\t%.1f", gapPercent, seconds) + "\t\(iterations)\t\(feasible)"
    }
}

extension CVRPLIBInstance {
    /// Reads a `.vrp`, solves it (rounded Euclidean distances) and compares with the `.sol` beside it.
    public static func bench(path: String, timeLimit: Duration, seed: UInt64, maxIterations: Int? = nil,
                             progress: (@Sendable (SolverProgress) -> Void)? = nil) throws -> CVRPLIBBenchResult {
        let url = URL(fileURLWithPath: path)
        let instance = try CVRPLIBInstance(contentsOf: url)
        let bks = (try? readSolution(contentsOf: url.deletingPathExtension().appendingPathExtension("sol")).cost) ?? .nan
        let started = ContinuousClock.now
        let solution = RoutingSolver.solve(instance.routingProblem(), timeLimit: timeLimit, seed: seed,
                                           maxIterations: maxIterations, progress: progress)
        let elapsed = ContinuousClock.now - started
        return CVRPLIBBenchResult(name: instance.name, customers: instance.dimension - 1, cost: solution.cost, bestKnown: bks,
                                  seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                                  iterations: solution.iterations, feasible: solution.isFeasible)
    }
}

extension RoutingProblem {
    /// The problem as a VRPLIB CVRP instance with an explicit full matrix of travel times (whole seconds), so reference
    /// solvers can run on the real road network. VRPLIB has one depot: it is the recycling facility, where every trip
    /// ends (the single-trip relaxation; the depot → first stop and facility → depot legs are left out). Service times
    /// go in SERVICE_TIME_SECTION; demands are rounded up to whole kg.
    public func vrplib(name: String) -> String {
        let nodes = [facility] + stops.map(\.location)
        var out = """
            NAME : \(name)
            COMMENT : Chizu yard-waste runs; node 1 is the recycling facility (資源化施設); travel times in s; \(fleet.trucks) trucks
            TYPE : CVRP
            DIMENSION : \(nodes.count)
            EDGE_WEIGHT_TYPE : EXPLICIT
            EDGE_WEIGHT_FORMAT : FULL_MATRIX
            CAPACITY : \(Int(fleet.capacity))
            VEHICLES : \(fleet.trucks)
            EDGE_WEIGHT_SECTION

            """
        for i in nodes {
            out += nodes.map { j in
                let t = time(i, j)
                return t.isFinite ? String(Int(t.rounded())) : "999999"
            }.joined(separator: " ") + "\n"
        }
        out += "DEMAND_SECTION\n1 0\n"
        for (k, s) in stops.enumerated() { out += "\(k + 2) \(Int(s.demand.rounded(.up)))\n" }
        out += "SERVICE_TIME_SECTION\n1 0\n"
        for (k, s) in stops.enumerated() { out += "\(k + 2) \(Int(s.serviceTime.rounded()))\n" }
        return out + "DEPOT_SECTION\n1\n-1\nEOF\n"
    }
}
