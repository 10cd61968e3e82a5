import ArgumentParser
import Foundation
import Routing

/// `chizu route bench`: solve CVRPLIB instances and print cost and gap to the best-known solution.
struct RouteBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Solve CVRPLIB .vrp instances (rounded Euclidean) and print cost and gap to the .sol beside each.")

    @Option(name: .long, help: "Time limit per instance in seconds.")
    var timeLimit: Double = 30

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Stop after this many iterations (offspring), if reached before the time limit.")
    var iterations: Int?

    @Flag(name: .long, help: "Print each improvement to standard error.")
    var verbose = false

    @Argument(help: "CVRPLIB .vrp files; the .sol beside each gives the best-known cost.")
    var files: [String]

    func validate() throws {
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        guard !files.isEmpty else { throw ValidationError("give at least one .vrp file") }
    }

    func run() throws {
        print(CVRPLIBBenchResult.header)
        let verbose = self.verbose
        for f in files {
            do {
                print(try CVRPLIBInstance.bench(path: f, timeLimit: .milliseconds(Int(timeLimit * 1000)), seed: seed,
                                                maxIterations: iterations) { p in
                    if verbose, let c = p.bestCost { printError("  \(p.iteration) \(p.elapsed) \(c)") }
                }.line)
            } catch let e as CVRPLIBError { printError("\(f): \(e)"); throw ExitCode(2) }
        }
    }
}
