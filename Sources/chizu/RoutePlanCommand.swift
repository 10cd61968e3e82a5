import ArgumentParser
import Foundation
import Layers
import RoutePlanning
import Routing

/// The day and fleet a plan or an export is for.
struct DayOptions: ParsableArguments {
    @Option(name: .long, help: "Collection date, YYYY-MM-DD (pickup points recorded that day).")
    var date: String

    @Option(name: .long, help: "Number of trucks.")
    var trucks: Int

    @Option(name: .long, help: "Load a truck carries per trip (kg).")
    var capacity: Double

    func validate() throws {
        guard date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { throw ValidationError("--date must be YYYY-MM-DD") }
        guard PlanRequest.trucksAllowed.contains(trucks) else {
            throw ValidationError("--trucks must be from \(PlanRequest.trucksAllowed.lowerBound) to \(PlanRequest.trucksAllowed.upperBound)")
        }
        guard PlanRequest.capacityAllowedKg.contains(capacity) else {
            throw ValidationError("--capacity must be from \(Int(PlanRequest.capacityAllowedKg.lowerBound)) to \(Int(PlanRequest.capacityAllowedKg.upperBound)) kg")
        }
    }
}

/// `--shift HH:MM-HH:MM`: the trucks' working hours, for planning and for exported instances.
struct ShiftOption: ParsableArguments {
    @Option(name: .long, help: "Shift as HH:MM-HH:MM.")
    var shift = "08:30-16:00"

    func validate() throws {
        guard let s = RoutePlanCommand.parseShift(shift), s.1 > s.0 else { throw ValidationError("--shift must be HH:MM-HH:MM, ending after it starts") }
    }

    /// Start and end, seconds of the day (valid once `validate` has passed).
    var seconds: (start: Double, end: Double) { RoutePlanCommand.parseShift(shift)! }
}

/// `chizu route plan`: the day's yard-waste runs from the pickup points in the database.
struct RoutePlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan the day's yard-waste collection runs and write GeoJSON, GPX, CSV and printable route sheets.",
        discussion: """
            Reads roads, facilities and the pickup points recorded on --date, builds the truck's road graph, solves
            (capacity per trip, unloading at the recycling facility between trips, shift, service time fixed + per
            bundle) and stores the plan in the database. Beside --out X.geojson it writes X.csv, X.html (運行表, one
            page per driver) and X-truckN.gpx. Infeasible requests are explained and exit with status 3.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var day: DayOptions
    var date: String { day.date }
    var trucks: Int { day.trucks }
    var capacity: Double { day.capacity }

    @OptionGroup var shift: ShiftOption

    @Option(name: .long, help: "Solver time limit, e.g. 30s or 2m.")
    var timeLimit = "30s"

    @Option(name: .long, help: "Random seed; the same seed and inputs give the same plan when the iteration limit binds.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Stop after this many solver iterations (for reproducible plans).")
    var maxIterations: Int?

    @Option(name: .long, help: "The plan as GeoJSON; the other outputs are written beside it.")
    var out: String

    func validate() throws {
        guard Self.parseDuration(timeLimit) != nil else { throw ValidationError("--time-limit must be like 30s, 2m or 45") }
    }

    static func parseShift(_ s: String) -> (Double, Double)? {
        let parts = s.split(separator: "-")
        guard parts.count == 2 else { return nil }
        func clock(_ t: Substring) -> Double? {
            let hm = t.split(separator: ":")
            guard hm.count == 2, let h = Double(hm[0]), let m = Double(hm[1]), (0...24).contains(h), (0..<60).contains(m) else { return nil }
            return h * 3600 + m * 60
        }
        guard let a = clock(parts[0]), let b = clock(parts[1]) else { return nil }
        return (a, b)
    }

    static func parseDuration(_ s: String) -> Duration? {
        if s.hasSuffix("m"), let m = Double(s.dropLast()), m > 0 { return .milliseconds(Int(m * 60_000)) }
        if s.hasSuffix("s"), let v = Double(s.dropLast()), v > 0 { return .milliseconds(Int(v * 1000)) }
        if let v = Double(s), v > 0 { return .milliseconds(Int(v * 1000)) }
        return nil
    }

    func run() throws {
        let (start, end) = shift.seconds
        let request = PlanRequest(date: date, trucks: trucks, capacityKg: capacity, shiftStart: start, shiftEnd: end,
                                  timeLimit: Self.parseDuration(timeLimit)!, seed: seed, maxIterations: maxIterations)
        let planner = RoutePlanner(store: try store.openStore(), catalog: try store.catalog(), settings: try store.citySettings().routing)
        switch try planner.plan(request, log: { printError("route: \($0)") }) {
        case .infeasible(let why):
            printError("route: no feasible plan for \(date):\n" + why)
            throw ExitCode(3)
        case .planned(let plan, let id):
            try write(plan)
            print("truck  trips  stops   load kg      km   hours")
            for r in plan.summaryRows {
                print(String(format: "%5d  %5d  %5d  %8.1f  %6.1f  %6.2f", r.truck, r.trips, r.stops, r.loadKg, r.km, r.hours))
            }
            let s = plan.solution
            print(String(format: "total: %d stops, %d trucks, %d trips, %.1f km, %.2f truck-hours; plan %lld stored; %d iterations",
                         plan.instance.points.count, s.trucks.count, s.tripCount, s.totalDistance / 1000, s.totalTime / 3600, id, s.iterations))
            if !plan.instance.offRoad.isEmpty { print("not planned (off road): " + plan.instance.offRoad.map(\.point.id).joined(separator: ", ")) }
            if !plan.instance.unreachable.isEmpty { print("not planned (unreachable): " + plan.instance.unreachable.map(\.id).joined(separator: ", ")) }
        }
    }

    private func write(_ plan: RunPlan) throws {
        let url = URL(fileURLWithPath: out)
        let base = url.deletingPathExtension()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(plan.geoJSON().utf8).write(to: url)
        try Data(plan.csv().utf8).write(to: base.appendingPathExtension("csv"))
        try Data(plan.html().utf8).write(to: base.appendingPathExtension("html"))
        for (k, t) in plan.solution.trucks.enumerated() {
            try Data(plan.gpx(truckIndex: k).utf8).write(to: URL(fileURLWithPath: base.path + "-truck\(t.truck + 1).gpx"))
        }
        printError("route: wrote \(out), \(base.lastPathComponent).csv, \(base.lastPathComponent).html and \(plan.solution.trucks.count) GPX files")
    }
}
