import Foundation
import Layers
import Routing
import Store
import Synchronization

/// What a planner asks for: the day, the fleet, the shift and how long to search.
public struct PlanRequest: Sendable, Hashable {
    public var date: String
    public var trucks: Int
    public var capacityKg: Double
    /// Shift start and end, seconds of the day.
    public var shiftStart: Double, shiftEnd: Double
    public var timeLimit: Duration
    public var seed: UInt64
    public var maxIterations: Int?

    /// Bounds on what a request from outside may ask for (a city runs tens of trucks of a few tonnes);
    /// beyond them the solver's sizes would overflow or exhaust memory.
    public static let trucksAllowed = 1...1_000
    public static let capacityAllowedKg: ClosedRange<Double> = 1...100_000

    public init(date: String, trucks: Int, capacityKg: Double, shiftStart: Double, shiftEnd: Double,
                timeLimit: Duration, seed: UInt64 = 1, maxIterations: Int? = nil) {
        self.date = date; self.trucks = trucks; self.capacityKg = capacityKg; self.shiftStart = shiftStart
        self.shiftEnd = shiftEnd; self.timeLimit = timeLimit; self.seed = seed; self.maxIterations = maxIterations
    }
}

/// The result of planning: a stored plan, or the reasons none is feasible.
public enum PlanOutcome: Sendable {
    case planned(RunPlan, id: Int64)
    case infeasible(String)
}

/// Plans a day from the store and stores the plan: read, build the graph, snap, matrix, solve, draw, save.
public struct RoutePlanner: Sendable {
    let store: SpatialStore
    let catalog: LayerCatalog
    let settings: RoutingSettings

    public init(store: SpatialStore, catalog: LayerCatalog, settings: RoutingSettings) {
        self.store = store; self.catalog = catalog; self.settings = settings
    }

    /// Plans `request`; `log` receives progress lines. Missing inputs are `.infeasible` with the reason.
    public func plan(_ request: PlanRequest, log: @escaping @Sendable (String) -> Void = { _ in }) throws -> PlanOutcome {
        let reader = CityNetworkReader(store: store, catalog: catalog)
        let points = try reader.pickupPoints(on: request.date)
        guard !points.isEmpty else { return .infeasible(RoutePlanningError.noPickupPoints(date: request.date).description) }
        log("\(points.count) pickup points on \(request.date); building the road graph")
        let instance: DayInstance
        do {
            instance = try DayInstance(segments: try reader.roadSegments(), facilities: try reader.facilities(),
                                       points: points, settings: settings)
        } catch let e as RoutePlanningError { return .infeasible(e.description) }
        log(instance.report)
        let fleet = Fleet(trucks: request.trucks, capacity: request.capacityKg, shiftStart: request.shiftStart,
                          shiftEnd: request.shiftEnd, unloadTime: settings.unloadS)
        let problem = instance.problem(name: request.date, fleet: fleet)
        log("solving \(problem.stops.count) stops, \(request.trucks) trucks × \(String(format: "%.0f", request.capacityKg)) kg, limit \(request.timeLimit)")
        let last = LastReport()
        let solution = RoutingSolver.solve(problem, timeLimit: request.timeLimit, seed: request.seed,
                                           maxIterations: request.maxIterations) { p in
            let t = Double(p.elapsed.components.seconds)
            if last.due(t) {
                log("\(Int(t)) s, \(p.iteration) iterations, best " + (p.bestCost.map { String(format: "%.0f", $0) } ?? "none feasible yet"))
            }
        }
        guard solution.isFeasible else { return .infeasible(Self.naming(solution.infeasibilityReport, points: instance.points)) }
        let plan = try RunPlan(date: request.date, instance: instance, solution: solution)
        let id = try store.saveRoutePlan(date: request.date, summary: plan.summaryJSON(), geojson: plan.geoJSON())
        return .planned(plan, id: id)
    }
}

extension RoutePlanner {
    /// The solver numbers stops from 0; planners know them by point id: "stop 3" becomes "stop 3 (YW-00042)".
    static func naming(_ report: String, points: [PickupPoint]) -> String {
        report.replacing(/stop (\d+)/) { m in
            guard let k = Int(m.output.1), points.indices.contains(k) else { return String(m.output.0) }
            return "stop \(k) (\(points[k].id))"
        }
    }
}

/// Rate-limits progress lines to one per 5 s of solver time.
final class LastReport: Sendable {
    private let last = Mutex<Double>(-10)
    func due(_ t: Double) -> Bool { last.withLock { l in if t - l >= 5 { l = t; return true } else { return false } } }
}
