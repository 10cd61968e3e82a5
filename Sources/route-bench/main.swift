import ArgumentParser
import Foundation
import Routing

/// Runs the routing solver on CVRPLIB instances and prints one line per instance: name, n, cost, BKS, gap, time.
struct RouteBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route-bench",
        abstract: "Benchmark the VRP solver on CVRPLIB instances against their best-known solutions.")

    @Argument(help: "CVRPLIB .vrp files; the .sol beside each gives the best-known cost.")
    var instances: [String]

    @Option(name: .long, help: "Time limit per instance in seconds.")
    var seconds: Double = 10

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Stop after this many iterations (offspring), if reached before the time limit.")
    var iterations: Int?

    @Flag(name: .long, help: "Print each improvement to standard error.")
    var verbose = false

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
        guard !instances.isEmpty else { throw ValidationError("give at least one .vrp file") }
    }

    func run() throws {
        print("instance\tn\tcost\tbks\tgap%\ttime_s\titerations\tfeasible")
        for path in instances {
            let url = URL(fileURLWithPath: path)
            let instance = try CVRPLIBInstance(contentsOf: url)
            let solURL = url.deletingPathExtension().appendingPathExtension("sol")
            let bks = (try? CVRPLIBInstance.readSolution(contentsOf: solURL).cost) ?? .nan
            let problem = instance.routingProblem()
            let verbose = self.verbose
            let started = ContinuousClock.now
            let solution = RoutingSolver.solve(problem, timeLimit: .milliseconds(Int(seconds * 1000)), seed: seed,
                                               maxIterations: iterations) { p in
                if verbose, let c = p.bestCost {
                    FileHandle.standardError.write(Data("  \(p.iteration) \(p.elapsed) \(c)\n".utf8))
                }
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let gap = (solution.cost - bks) / bks * 100
            print("\(instance.name)\t\(instance.dimension - 1)\t\(Int(solution.cost.rounded()))\t\(Int(bks))\t"
                  + String(format: "%.2f\t%.1f", gap, seconds) + "\t\(solution.iterations)\t\(solution.isFeasible)")
        }
    }
}

RouteBench.main()
