import ArgumentParser
import Foundation
import Routing

/// `chizu route bench`: solve CVRPLIB instances and print cost and gap to the best-known solution.
struct RouteBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Solve CVRPLIB .vrp instances (rounded Euclidean) and print cost and gap to the .sol beside each.",
        discussion: """
            A .json file from `chizu route export-vrplib --format json` (the city's multi-trip instance) is solved as \
            planned days are; its line gives total time, distance and trips, and --solution-out writes the trips.
            """)

    @Option(name: .long, help: "Time limit per instance in seconds.")
    var timeLimit: Double = 30

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Stop after this many iterations (offspring of the genetic search, or steps of the iterated search from 175 clients), if reached before the time limit.")
    var iterations: Int?

    @Flag(name: .long, help: "Print each improvement to standard error.")
    var verbose = false

    @Argument(help: "CVRPLIB .vrp files; the .sol beside each gives the best-known cost. Or .json instances.")
    var files: [String]

    @Option(name: .customLong("solution-out"), help: "Write the solution of a .json instance here (trips per truck).")
    var solutionOut: String?

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        guard !files.isEmpty else { throw ValidationError("give at least one .vrp file") }
    }

    func run() throws {
        if files.contains(where: { !$0.hasSuffix(".json") }) { print(CVRPLIBBenchResult.header) }
        let verbose = self.verbose
        for f in files where f.hasSuffix(".json") {
            let instance: ReferenceInstance
            do {
                instance = try JSONDecoder().decode(ReferenceInstance.self, from: Data(contentsOf: URL(fileURLWithPath: f))).validated()
            } catch { printError("\(f): not a Chizu reference instance: \(error)"); throw ExitCode(2) }
            let started = ContinuousClock.now
            let solution = RoutingSolver.solve(instance.problem, timeLimit: .milliseconds(Int(timeLimit * 1000)), seed: seed,
                                               maxIterations: iterations)
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print("\(instance.name)\t\(instance.demands.count) stops\ttime \(Int(solution.totalTime.rounded())) s\t"
                  + "distance \(Int(solution.totalDistance.rounded())) m\t\(solution.tripCount) trips\t"
                  + String(format: "%.1f s", seconds) + "\t\(solution.iterations) iterations\tfeasible \(solution.isFeasible)")
            if let solutionOut { try ReferenceInstance.solutionJSON(solution).write(toFile: solutionOut, atomically: true, encoding: .utf8) }
        }
        for f in files where !f.hasSuffix(".json") {
            do {
                print(try CVRPLIBInstance.bench(path: f, timeLimit: .milliseconds(Int(timeLimit * 1000)), seed: seed,
                                                maxIterations: iterations) { p in
                    if verbose, let c = p.bestCost { printError("  \(p.iteration) \(p.elapsed) \(c)") }
                }.line)
            } catch let e as CVRPLIBError { printError("\(f): \(e)"); throw ExitCode(2) }
        }
    }
}
