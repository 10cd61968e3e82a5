import ArgumentParser
import Foundation
import RoutePlanning
import Routing

/// `chizu route export-vrplib`: the day's real instance as VRPLIB with an explicit road-network matrix,
/// or (`--format json`) whole, with depot, shift and unloading, for solvers that model multiple trips.
struct RouteExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export-vrplib", abstract: """
        Write the day's instance (road-network travel times, demands, service times) as a VRPLIB file; node 1 is the \
        recycling facility, where every trip ends, so reference solvers (PyVRP, OR-Tools) read it as CVRP. With \
        --format json: the whole multi-trip instance (depot, facility, stops; time and distance matrices; shift; \
        unloading), which `chizu route bench` also solves, for bench/real-instance.sh.
        """)

    @OptionGroup var day: DayOptions

    @Option(name: .long, help: "Output file (.vrp, or .json with --format json).")
    var out: String

    @Option(name: .long, help: "vrplib (single-trip CVRP relaxation) or json (the whole multi-trip instance).")
    var format = "vrplib"

    /// Used by --format json only.
    @OptionGroup var shift: ShiftOption

    func validate() throws {
        guard ["vrplib", "json"].contains(format) else { throw ValidationError("--format must be vrplib or json") }
    }

    @OptionGroup var store: StoreOptions

    func run() throws {
        let settings = try store.citySettings().routing
        let reader = CityNetworkReader(store: try store.openStore(readonly: true), catalog: try store.catalog())
        let points = try reader.pickupPoints(on: day.date)
        guard !points.isEmpty else { printError(RoutePlanningError.noPickupPoints(date: day.date).description); throw ExitCode(3) }
        let instance = try DayInstance(segments: try reader.roadSegments(), facilities: try reader.facilities(),
                                       points: points, settings: settings, keepPaths: false)
        if format == "json" {
            let (start, end) = shift.seconds
            let fleet = Fleet(trucks: day.trucks, capacity: day.capacity, shiftStart: start, shiftEnd: end, unloadTime: settings.unloadS)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(ReferenceInstance(instance.problem(name: "isehara-\(day.date)", fleet: fleet))).write(to: URL(fileURLWithPath: out))
            print("\(out): depot, facility and \(instance.points.count) stops, time and distance matrices, \(day.trucks) trucks, shift \(shift.shift)")
            return
        }
        let fleet = Fleet(trucks: day.trucks, capacity: day.capacity, shiftStart: 0, shiftEnd: .infinity, unloadTime: settings.unloadS)
        try instance.problem(name: day.date, fleet: fleet).vrplib(name: "isehara-\(day.date)").write(toFile: out, atomically: true, encoding: .utf8)
        print("\(out): \(instance.points.count) stops + facility, explicit travel-time matrix")
    }
}
