import Foundation
import GRDB

/// One sensor reading: a site's value at a time (nil = missing, never 0).
public struct Reading: Sendable, Hashable {
    public var site: String
    /// Observation time, seconds since 1970 (UTC).
    public var observedAt: Int64
    public var value: Double?
    public init(site: String, observedAt: Int64, value: Double?) {
        self.site = site; self.observedAt = observedAt; self.value = value
    }
}

extension SpatialStore {
    /// Stores readings in one transaction with their ingest-run record. Idempotent on
    /// (layer, site, time): a repeated reading is a no-op, a corrected value replaces the earlier one.
    @discardableResult
    public func storeReadings(_ readings: [Reading], layer: String, source: RunSource, counts: RunCounts,
                              report: String? = nil) throws -> Int64 {
        try pool.write { db in
            let runId = try Self.insertRun(db, layer: layer, kind: "readings", source: source, mode: "upsert",
                                           status: "committed", counts: counts, report: report)
            let statement = try db.cachedStatement(sql: """
                INSERT INTO chizu_readings (layer_id, site_key, observed_at, value, run_id, received_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(layer_id, site_key, observed_at) DO UPDATE SET
                    value = excluded.value, run_id = excluded.run_id, received_at = excluded.received_at
                WHERE value IS NOT excluded.value
                """)
            let now = Self.iso(Date())
            for r in readings {
                try statement.execute(arguments: [layer, r.site, r.observedAt, r.value, runId, now])
            }
            try db.execute(sql: "UPDATE chizu_ingest_runs SET features_written = ? WHERE run_id = ?",
                           arguments: [readings.count, runId])
            return runId
        }
    }

    /// A site's readings in [from, to), oldest first.
    public func readings(layer: String, site: String, from: Int64, to: Int64) throws -> [Reading] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT site_key, observed_at, value FROM chizu_readings
                WHERE layer_id = ? AND site_key = ? AND observed_at >= ? AND observed_at < ?
                ORDER BY observed_at
                """, arguments: [layer, site, from, to]).map {
                Reading(site: $0["site_key"], observedAt: $0["observed_at"], value: $0["value"])
            }
        }
    }

    /// Number of readings stored for a layer.
    public func readingCount(layer: String) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM chizu_readings WHERE layer_id = ?", arguments: [layer]) ?? 0
        }
    }
}
