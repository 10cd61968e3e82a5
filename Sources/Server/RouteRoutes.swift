import Features
import Foundation
import Hummingbird
import Layers
import RoutePlanning
import Store

/// `/routes/plans`, `/routes/plans/{planId}`: yard-waste collection plans, for the sanitation department
/// (清掃リサイクル) and administrators only.
struct RouteRoutes: Sendable {
    let access: LayerAccess
    let settings: RoutingSettings
    /// The longest search a plan request may ask for (`time_limit_s` is clamped to it).
    var maxSearchSeconds: Double = 300

    /// The department that plans collection runs.
    static let department = "sanitation"

    /// The body of `POST /routes/plans`.
    struct PlanBody: Decodable {
        var date: String
        var trucks: Int
        var capacity_kg: Double
        var shift: String?
        var time_limit_s: Double?
        var seed: UInt64?
    }

    static func authorise(_ caller: Caller) throws {
        if caller.isAnonymous { throw Problem(.unauthorized, "Unauthorized", detail: "route plans need a sanitation department token") }
        guard caller.kind == .admin || (caller.kind == .department && caller.department == department) else {
            throw Problem(.forbidden, "Forbidden", detail: "route plans are for the sanitation department only")
        }
    }

    /// Parses "HH:MM-HH:MM" into seconds of the day.
    static func shift(_ s: String) -> (Double, Double)? {
        let clocks = s.split(separator: "-").map { $0.split(separator: ":").compactMap { Double($0) } }
        guard clocks.count == 2, clocks.allSatisfy({ $0.count == 2 }) else { return nil }
        let a = clocks[0][0] * 3600 + clocks[0][1] * 60, b = clocks[1][0] * 3600 + clocks[1][1] * 60
        return b > a ? (a, b) : nil
    }

    static func json(_ s: String) -> String {
        String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// The stored plan named by the path, for an authorised caller.
    func storedPlan(_ context: ChizuContext) throws -> StoredRoutePlan {
        try Self.authorise(context.caller)
        guard let id = context.parameters.get("planId", as: Int64.self) else { throw Problem.notFound("no such plan") }
        guard let plan = try access.store.routePlan(id: id) else { throw Problem.notFound("no route plan \(id)") }
        return plan
    }

    /// The stored plan's sheet data and the truck (numbered from 1) named by the path.
    func sheet(_ context: ChizuContext) throws -> (PlanSheet, PlanSheet.Truck) {
        let plan = try storedPlan(context)
        let sheet = try PlanSheet(date: plan.date, geoJSON: plan.geojson)
        guard let n = context.parameters.get("truck", as: Int.self), let truck = sheet.truck(n) else {
            throw Problem.notFound("plan \(plan.id) has no truck \(context.parameters.get("truck") ?? "")")
        }
        return (sheet, truck)
    }

    func register(on router: Router<ChizuContext>) {
        router.post("/routes/plans") { request, context in
            try Self.authorise(context.caller)
            let body = try JSONDecoder().decode(PlanBody.self, from: Data(buffer: try await request.body.collect(upTo: 1 << 16)))
            guard body.date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { throw Problem.badRequest("date must be YYYY-MM-DD", parameter: "date") }
            guard body.trucks > 0, body.capacity_kg > 0 else { throw Problem.badRequest("trucks and capacity_kg must be positive") }
            guard let (start, end) = Self.shift(body.shift ?? "08:30-16:00") else { throw Problem.badRequest("shift must be HH:MM-HH:MM", parameter: "shift") }
            let seconds = min(max(body.time_limit_s ?? 30, 1), maxSearchSeconds)
            let planRequest = PlanRequest(date: body.date, trucks: body.trucks, capacityKg: body.capacity_kg, shiftStart: start,
                                          shiftEnd: end, timeLimit: .milliseconds(Int(seconds * 1000)), seed: body.seed ?? 1)
            let planner = RoutePlanner(store: access.store, catalog: access.catalog, settings: settings)
            // The search is CPU-bound for seconds: run it off the event loop.
            let outcome = try await Task.detached { try planner.plan(planRequest) }.value
            switch outcome {
            case .infeasible(let why):
                throw Problem(.unprocessableContent, "No feasible plan", detail: why)
            case .planned(let plan, let id):
                let doc = "{\"id\":\(id),\"href\":\"/routes/plans/\(id)\",\"summary\":\(plan.summaryJSON())}"
                return Responses.bytes(Array(doc.utf8), "application/json", status: .created,
                                       headers: [.location: "/routes/plans/\(id)"])
            }
        }
        router.get("/routes/plans") { request, context in
            try Self.authorise(context.caller)
            let plans = try access.store.routePlans().map { p in
                "{\"id\":\(p.id),\"date\":\(Self.json(p.date)),\"created_at\":\(Self.json(p.createdAt)),"
                    + "\"href\":\"/routes/plans/\(p.id)\",\"summary\":\(p.summary.isEmpty ? "null" : p.summary)}"
            }
            return Responses.bytes(Array("{\"plans\":[\(plans.joined(separator: ","))]}".utf8), "application/json", for: request)
        }
        router.get("/routes/plans/:planId") { request, context in
            let plan = try storedPlan(context)
            return Responses.bytes(Array(plan.geojson.utf8), "application/geo+json", for: request)
        }
        router.get("/routes/plans/:planId/sheets/:truck") { request, context in
            let (sheet, truck) = try sheet(context)
            return Responses.bytes(Array(sheet.html(only: [truck]).utf8), "text/html; charset=utf-8", for: request)
        }
        router.get("/routes/plans/:planId/gpx/:truck") { request, context in
            let (sheet, truck) = try sheet(context)
            return Responses.bytes(Array(sheet.gpx(truck).utf8), "application/gpx+xml", for: request)
        }
    }
}
