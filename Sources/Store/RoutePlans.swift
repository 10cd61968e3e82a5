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
