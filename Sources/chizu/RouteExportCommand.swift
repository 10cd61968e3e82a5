import ArgumentParser
import Foundation
import RoutePlanning
import Routing

/// `chizu route export-vrplib`: the day's real instance as VRPLIB with an explicit road-network matrix.
struct RouteExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export-vrplib", abstract: """
        Write the day's instance (road-network travel times, demands, service times) as a VRPLIB file; node 1 is the \
        recycling facility, where every trip ends, so reference solvers (PyVRP, OR-Tools) read it as CVRP.
        """)

    @OptionGroup var day: DayOptions

    @Option(name: .long, help: "Output .vrp file.")
    var out: String

    @OptionGroup var store: StoreOptions

    func run() throws {
        let settings = try store.citySettings().routing
        let reader = CityNetworkReader(store: try store.openStore(readonly: true), catalog: try store.catalog())
        let points = try reader.pickupPoints(on: day.date)
        guard !points.isEmpty else { printError(RoutePlanningError.noPickupPoints(date: day.date).description); throw ExitCode(3) }
        let instance = try DayInstance(segments: try reader.roadSegments(), facilities: try reader.facilities(),
                                       points: points, settings: settings, keepPaths: false)
        let fleet = Fleet(trucks: day.trucks, capacity: day.capacity, shiftStart: 0, shiftEnd: .infinity, unloadTime: settings.unloadS)
        try instance.problem(name: day.date, fleet: fleet).vrplib(name: "isehara-\(day.date)").write(toFile: out, atomically: true, encoding: .utf8)
        print("\(out): \(instance.points.count) stops + facility, explicit travel-time matrix")
    }
}
