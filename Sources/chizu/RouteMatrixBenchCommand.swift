import ArgumentParser
import Foundation
import GeoCore
import Layers
import RoutePlanning
import Routing

/// `chizu route matrix-bench`: time the stop-to-stop matrix on the database's road network and export the graph
/// so `bench/route-matrix.sh` can time scipy on the same CSR arrays.
struct RouteMatrixBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix-bench",
        abstract: "Time an N-stop travel-time matrix on the road graph; export the graph (CSR) for a reference run.")

    @Option(name: .long, help: "Number of pickup points (all dates, in id order) to put in the matrix.")
    var stops = 1000

    @Option(name: .long, help: "Threads for the searches (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Write the CSR graph (int32 n, m; int32 offsets[n+1], heads[m]; float64 times[m]) here.")
    var exportCsr: String?

    @Option(name: .long, help: "Write the source nodes (int32, one per stop: the node each search starts from) here.")
    var exportSources: String?

    func validate() throws { guard stops > 0, threads > 0 else { throw ValidationError("--stops and --threads must be positive") } }

    func run() throws {
        let settings = try store.citySettings().routing
        let reader = CityNetworkReader(store: try store.openStore(readonly: true), catalog: try store.catalog())
        let clock = ContinuousClock()
        var segments: [RoadSegment] = [], points: [PickupPoint] = []
        let load = try clock.measure {
            segments = try reader.roadSegments()
            points = Array(try reader.pickupPoints(on: "").prefix(stops))
        }
        let profile = GraphProfile(settings)
        var graph: RoadGraph?
        let build = clock.measure { graph = RoadGraph(segments: segments, profile: profile) }
        let g = graph!
        let snapper = RoadSnapper(graph: g, maxDistance: profile.maxSnapDistanceM)
        let places = points.compactMap { snapper.snap($0.position).point }
        var matrix: TravelMatrix?
        let solve = clock.measure { matrix = TravelMatrix(graph: g, places: places, kerbPenaltyS: profile.kerbPenaltyS, workers: threads) }
        let m = matrix!
        let finite = m.time.filter(\.isFinite).count
        if let path = exportCsr {
            var data = Data()
            func put<T>(_ values: [T]) { values.withUnsafeBytes { data.append(contentsOf: $0) } }
            put([Int32(g.nodeCount), Int32(g.arcCount)]); put(g.offsets); put(g.heads); put(g.arcTime)
            try data.write(to: URL(fileURLWithPath: path))
        }
        if let path = exportSources {
            var data = Data()
            places.map { g.segmentFrom[$0.segment] }.withUnsafeBytes { data.append(contentsOf: $0) }
            try data.write(to: URL(fileURLWithPath: path))
        }
        printError(g.report)
        printError("load \(seconds(load)) s, graph \(seconds(build)) s")
        print("chizu matrix: \(places.count)×\(places.count) on \(g.nodeCount) nodes / \(g.arcCount) arcs in \(seconds(solve)) s "
              + "(\(threads) threads, \(finite) finite entries)")
    }

    private func seconds(_ d: Duration) -> String {
        String(format: "%.3f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
