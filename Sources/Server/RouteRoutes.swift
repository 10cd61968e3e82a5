import Features
import Foundation
import Hummingbird
import Layers
import RoutePlanning
import Store

/// `/routes/plans`, `/routes/plans/{planId}` (sheets, GPX, collected weights) and `/routes/collections`
/// (the year's collected yard waste against the target). A plan holds the pickup points, so it is for
/// those who see that layer's internals as its YAML says (the sanitation department, 清掃リサイクル)
/// and administrators only.
struct RouteRoutes: Sendable {
    let access: LayerAccess
    let settings: RoutingSettings
    /// The longest search a plan request may ask for (`time_limit_s` is clamped to it).
    var maxSearchSeconds: Double = 300

    /// The body of `POST /routes/plans`.
    struct PlanBody: Decodable {
        var date: String
        var trucks: Int
        var capacity_kg: Double
        var shift: String?
        var time_limit_s: Double?
        var seed: UInt64?
    }

    /// True when the caller may plan runs and read plans: it sees the pickup layer's internals.
    static func mayPlan(_ caller: Caller, catalog: LayerCatalog) -> Bool {
        catalog.layer(CityNetworkReader.pickupLayer)?.seesInternal(caller) ?? false
    }

    /// One trip's weighed load, in the body of `POST /routes/plans/{planId}/collections`.
    struct CollectionBody: Decodable {
        var truck: Int
        var trip: Int
        var collected_kg: Double
    }

    /// Recording weights changes the city's figures: editors of a planning department and administrators only.
    func authoriseRecording(_ caller: Caller) throws {
        try authorise(caller)
        guard caller.kind == .admin || caller.canEdit else {
            throw Problem(.forbidden, "Forbidden", detail: "recording collected weights needs an editor token of the sanitation department")
        }
    }

    func authorise(_ caller: Caller) throws {
        if caller.isAnonymous { throw Problem(.unauthorized, "Unauthorized", detail: "route plans need a sanitation department token") }
        guard Self.mayPlan(caller, catalog: access.catalog) else {
            throw Problem(.forbidden, "Forbidden", detail: "route plans are for the sanitation department only")
        }
    }

    /// Parses "HH:MM-HH:MM" into seconds of the day (hours 0–24, minutes 0–59).
    static func shift(_ s: String) -> (Double, Double)? {
        let clocks = s.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.split(separator: ":", omittingEmptySubsequences: false).compactMap { UInt8($0).map(Double.init) }
        }
        guard clocks.count == 2, clocks.allSatisfy({ $0.count == 2 && $0[0] <= 24 && $0[1] < 60 }) else { return nil }
        let a = clocks[0][0] * 3600 + clocks[0][1] * 60, b = clocks[1][0] * 3600 + clocks[1][1] * 60
        return b > a ? (a, b) : nil
    }

    /// The plan request in a body; malformed JSON or a missing or mistyped member is a 400 naming it.
    static func decode(_ body: ByteBuffer) throws -> PlanBody {
        do { return try JSONDecoder().decode(PlanBody.self, from: Data(buffer: body)) } catch let e as DecodingError {
            let detail: String
            switch e {
            case .keyNotFound(let key, _): detail = "the body has no \"\(key.stringValue)\""
            case .typeMismatch(_, let c), .valueNotFound(_, let c):
                detail = "\"\(c.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
            case .dataCorrupted(let c) where !c.codingPath.isEmpty:
                detail = "\"\(c.codingPath.map(\.stringValue).joined(separator: "."))\" is out of range or invalid"
            default: detail = "the body is not a JSON object"
            }
            throw Problem.badRequest("\(detail); send {\"date\": \"YYYY-MM-DD\", \"trucks\": N, \"capacity_kg\": KG, …}")
        }
    }

    static func json(_ s: String) -> String {
        String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// The stored plan named by the path, for an authorised caller.
    func storedPlan(_ context: ChizuContext) throws -> StoredRoutePlan {
        try authorise(context.caller)
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
            try authorise(context.caller)
            let body = try Self.decode(try await request.body.collect(upTo: 1 << 16))
            guard body.date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { throw Problem.badRequest("date must be YYYY-MM-DD", parameter: "date") }
            guard PlanRequest.trucksAllowed.contains(body.trucks) else {
                throw Problem.badRequest("trucks must be from \(PlanRequest.trucksAllowed.lowerBound) to \(PlanRequest.trucksAllowed.upperBound)", parameter: "trucks")
            }
            guard PlanRequest.capacityAllowedKg.contains(body.capacity_kg) else {
                throw Problem.badRequest("capacity_kg must be from \(Int(PlanRequest.capacityAllowedKg.lowerBound)) to \(Int(PlanRequest.capacityAllowedKg.upperBound))",
                                         parameter: "capacity_kg")
            }
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
            try authorise(context.caller)
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
        router.post("/routes/plans/:planId/collections") { request, context in
            try authoriseRecording(context.caller)
            let plan = try storedPlan(context)
            let data = Data(buffer: try await request.body.collect(upTo: 1 << 16))
            // One trip as an object, or several as an array.
            let records: [CollectionBody]
            do {
                if let many = try? JSONDecoder().decode([CollectionBody].self, from: data) { records = many }
                else { records = [try JSONDecoder().decode(CollectionBody.self, from: data)] }
            } catch {
                throw Problem.badRequest("the body must be {\"truck\": 1, \"trip\": 1, \"collected_kg\": 812.5} or an array of them")
            }
            guard !records.isEmpty, records.count <= 1000 else { throw Problem.badRequest("give 1 to 1000 trips") }
            let sheet = try PlanSheet(date: plan.date, geoJSON: plan.geojson)
            for r in records {
                guard let truck = sheet.truck(r.truck) else {
                    throw Problem.badRequest("plan \(plan.id) has no truck \(r.truck)", parameter: "truck")
                }
                guard r.trip >= 1, r.trip <= truck.trips.count else {
                    throw Problem.badRequest("truck \(r.truck) of plan \(plan.id) has trips 1 to \(truck.trips.count), not \(r.trip)", parameter: "trip")
                }
                guard r.collected_kg.isFinite, r.collected_kg >= 0, r.collected_kg <= 100_000 else {
                    throw Problem.badRequest("collected_kg must be between 0 and 100000 kg", parameter: "collected_kg")
                }
            }
            for r in records {
                try access.store.recordCollection(planId: plan.id, truck: r.truck, trip: r.trip, weightKg: r.collected_kg)
            }
            let items = records.map { "{\"truck\":\($0.truck),\"trip\":\($0.trip),\"collected_kg\":\($0.collected_kg)}" }
            let doc = "{\"plan\":\(plan.id),\"collected_on\":\(Self.json(plan.date)),\"recorded\":[\(items.joined(separator: ","))]}"
            return Responses.bytes(Array(doc.utf8), "application/json", status: .created)
        }
        router.get("/routes/collections") { request, context in
            try authorise(context.caller)
            let year: Int
            if let y = request.uri.queryParameters.get("year") {
                guard let v = Int(y), (2000...2100).contains(v) else { throw Problem.badRequest("year must be a year like 2026", parameter: "year") }
                year = v
            } else {
                year = Calendar(identifier: .gregorian).component(.year, from: Date())
            }
            let months = try access.store.monthlyCollections(year: year)
            let total = months.reduce(0) { $0 + $1.weightKg }
            let target = settings.yearlyTargetT
            let rows = months.map { "{\"month\":\(Self.json($0.month)),\"trips\":\($0.trips),\"collected_kg\":\($0.weightKg)}" }
            let doc = "{\"year\":\(year),\"months\":[\(rows.joined(separator: ","))],\"total_kg\":\(total),"
                + "\"target_t\":\(target),\"share_of_target\":\(target > 0 ? total / 1000 / target : 0)}"
            return Responses.bytes(Array(doc.utf8), "application/json", for: request)
        }
        router.get("/routes/plans/:planId/gpx/:truck") { request, context in
            let (sheet, truck) = try sheet(context)
            return Responses.bytes(Array(sheet.gpx(truck).utf8), "application/gpx+xml", for: request)
        }
    }
}
