import Foundation
import GRDB

/// A stored collection plan (収集計画): its date, summary (JSON) and the plan as GeoJSON.
public struct StoredRoutePlan: Sendable, Hashable {
    public var id: Int64
    public var date: String
    public var createdAt: String
    public var summary: String
    public var geojson: String
}

extension SpatialStore {
    static func createRoutePlanTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE chizu_route_plans (
                plan_id INTEGER PRIMARY KEY AUTOINCREMENT,
                plan_date TEXT NOT NULL,
                created_at TEXT NOT NULL,
                summary TEXT NOT NULL,
                geojson TEXT NOT NULL
            );
            CREATE INDEX chizu_route_plans_date ON chizu_route_plans(plan_date);
            CREATE TABLE chizu_route_collections (
                plan_id INTEGER NOT NULL REFERENCES chizu_route_plans(plan_id),
                truck INTEGER NOT NULL,
                trip INTEGER NOT NULL,
                collected_on TEXT NOT NULL,
                weight_kg REAL NOT NULL CHECK (weight_kg >= 0),
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (plan_id, truck, trip)
            );
            CREATE INDEX chizu_route_collections_date ON chizu_route_collections(collected_on);
            """)
    }

    /// Stores a plan; returns its id.
    public func saveRoutePlan(date: String, summary: String, geojson: String, createdAt: Date = Date()) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO chizu_route_plans (plan_date, created_at, summary, geojson) VALUES (?, ?, ?, ?)",
                           arguments: [date, createdAt.ISO8601Format(), summary, geojson])
            return db.lastInsertedRowID
        }
    }

    /// The plan with this id, or nil.
    public func routePlan(id: Int64) throws -> StoredRoutePlan? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chizu_route_plans WHERE plan_id = ?", arguments: [id]).map {
                StoredRoutePlan(id: $0["plan_id"], date: $0["plan_date"], createdAt: $0["created_at"],
                                summary: $0["summary"], geojson: $0["geojson"])
            }
        }
    }
}

extension SpatialStore {
    /// The most recent stored plans, newest first, without their GeoJSON (`geojson` is empty).
    public func routePlans(limit: Int = 50) throws -> [StoredRoutePlan] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT plan_id, plan_date, created_at, summary FROM chizu_route_plans ORDER BY plan_id DESC LIMIT ?
                """, arguments: [limit]).map {
                StoredRoutePlan(id: $0["plan_id"], date: $0["plan_date"], createdAt: $0["created_at"], summary: $0["summary"], geojson: "")
            }
        }
    }
}

/// A plan-related request the database cannot satisfy.
public enum RoutePlanStoreError: Error, CustomStringConvertible, Sendable {
    case planMissing(id: Int64)

    public var description: String {
        switch self {
        case .planMissing(let id): "no stored route plan \(id); `chizu route plan` prints the id of each plan it stores"
        }
    }
}

/// Yard waste collected in one month (kg), from the recorded trip weights.
public struct MonthlyCollection: Sendable, Hashable {
    /// "YYYY-MM".
    public var month: String
    public var weightKg: Double
    public var trips: Int

    public init(month: String, weightKg: Double, trips: Int) { self.month = month; self.weightKg = weightKg; self.trips = trips }
}

extension SpatialStore {
    /// Records (or corrects) the weight collected on one trip of a stored plan, on the plan's date.
    public func recordCollection(planId: Int64, truck: Int, trip: Int, weightKg: Double, recordedAt: Date = Date()) throws {
        try pool.write { db in
            guard let date = try String.fetchOne(db, sql: "SELECT plan_date FROM chizu_route_plans WHERE plan_id = ?", arguments: [planId]) else {
                throw RoutePlanStoreError.planMissing(id: planId)
            }
            try db.execute(sql: """
                INSERT INTO chizu_route_collections (plan_id, truck, trip, collected_on, weight_kg, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (plan_id, truck, trip) DO UPDATE SET weight_kg = excluded.weight_kg, recorded_at = excluded.recorded_at
                """, arguments: [planId, truck, trip, date, weightKg, recordedAt.ISO8601Format()])
        }
    }

    /// Collected weight per month of `year` (months without records are absent), in month order.
    public func monthlyCollections(year: Int) throws -> [MonthlyCollection] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT substr(collected_on, 1, 7) AS month, sum(weight_kg) AS kg, count(*) AS trips FROM chizu_route_collections
                WHERE substr(collected_on, 1, 4) = ? GROUP BY month ORDER BY month
                """, arguments: [String(format: "%04d", year)]).map { MonthlyCollection(month: $0["month"], weightKg: $0["kg"], trips: $0["trips"]) }
        }
    }
}
