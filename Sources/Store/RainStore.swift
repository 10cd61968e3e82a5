import Foundation
import GRDB
import Layers

/// One message of the live rain feed, numbered in commit order.
public struct RainFeedMessage: Sendable, Hashable {
    /// What happened: a new or corrected reading (with the site's derived values at its time), or an alert.
    public enum Content: Sendable, Hashable {
        case reading(Reading, RainMeasures, corrected: Bool)
        case alert(RainAlert)
    }
    /// Increasing, gap-free across commits: the SSE event id.
    public var seq: Int64
    public var content: Content
}

/// A recorded threshold crossing (alert event).
public struct RainAlert: Sendable, Hashable {
    public var id: Int64
    public var layer: String
    public var site: String
    public var thresholdId: String
    public var label: String
    public var measure: RainMeasure
    public var thresholdMm: Double
    public var valueMm: Double
    /// The reading time at which the measure reached the threshold.
    public var observedAt: Int64
    public var recordedAt: String
}

/// What a live batch did.
public struct RainWriteResult: Sendable {
    public var inserted = 0
    public var corrected = 0
    public var unchanged = 0
    /// Feed messages committed by this batch, in seq order.
    public var messages: [RainFeedMessage] = []
    public var alerts: [RainAlert] = []
}

/// A site's current state: latest reading, derived values and status.
public struct GaugeState: Sendable, Hashable {
    public enum Status: String, Sendable { case ok, stale, missing }
    public var site: String
    public var observedAt: Int64?
    /// The latest 10-minute value (nil when missing or when there is no reading).
    public var latest: Double?
    public var measures: RainMeasures
    public var status: Status
}

/// One bucket of a time series, labelled by its end (JMA convention: 10:00 is 09:00–10:00).
public struct RainBucket: Sendable, Hashable {
    public var end: Int64
    /// Sum of the present values, nil when none is present.
    public var value: Double?
    /// Readings in the bucket, and how many of them are missing.
    public var count: Int
    public var missing: Int
}

extension SpatialStore {
    /// The live feed and the alert events (migration `v4-rain-feed-alerts`).
    static func createRainTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE chizu_rain_feed (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, layer_id TEXT NOT NULL, site_key TEXT NOT NULL, observed_at INTEGER NOT NULL,
                value REAL, sum_60m REAL, sum_24h REAL, event_total REAL, corrected INTEGER NOT NULL DEFAULT 0,
                alert_id INTEGER REFERENCES chizu_rain_alerts(alert_id), recorded_at TEXT NOT NULL);
            CREATE TABLE chizu_rain_alerts (
                alert_id INTEGER PRIMARY KEY AUTOINCREMENT, layer_id TEXT NOT NULL, site_key TEXT NOT NULL,
                threshold_id TEXT NOT NULL, label TEXT NOT NULL, measure TEXT NOT NULL, threshold_mm REAL NOT NULL,
                value_mm REAL NOT NULL, observed_at INTEGER NOT NULL, recorded_at TEXT NOT NULL,
                UNIQUE (layer_id, site_key, threshold_id, observed_at));
            CREATE INDEX chizu_rain_alerts_time ON chizu_rain_alerts(observed_at);
            """)
    }

    /// Stores live readings in one transaction: idempotent on (site, time) — a repeated reading changes
    /// nothing, a corrected value replaces the earlier one — and appends a feed message per new or
    /// corrected reading (with the site's derived values at its time) and per new threshold crossing.
    /// Late and out-of-order readings are fine: crossings are re-examined up to 24 h after them.
    /// The commit is durable (see `durableWrite`): a gauge told 2xx may forget the reading.
    public func storeLiveReadings(_ readings: [Reading], layer: String, settings: RainSettings) throws -> RainWriteResult {
        try durableWrite { db in
            var result = RainWriteResult()
            let now = Self.iso(Date())
            let find = try db.cachedStatement(sql: "SELECT value FROM chizu_readings WHERE layer_id = ? AND site_key = ? AND observed_at = ?")
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO chizu_readings (layer_id, site_key, observed_at, value, run_id, received_at) VALUES (?, ?, ?, ?, NULL, ?)
                ON CONFLICT(layer_id, site_key, observed_at) DO UPDATE SET value = excluded.value, run_id = NULL, received_at = excluded.received_at
                """)
            var changed: [String: [(Reading, Bool)]] = [:]   // site → (reading, corrected)
            for r in readings {
                let existing = try Row.fetchOne(find, arguments: [layer, r.site, r.observedAt])
                if let existing {
                    let old: Double? = existing[0]
                    if old == r.value { result.unchanged += 1; continue }
                    result.corrected += 1
                } else {
                    result.inserted += 1
                }
                try upsert.execute(arguments: [layer, r.site, r.observedAt, r.value, now])
                changed[r.site, default: []].append((r, existing != nil))
            }
            let feed = try db.cachedStatement(sql: """
                INSERT INTO chizu_rain_feed (layer_id, site_key, observed_at, value, sum_60m, sum_24h, event_total, corrected, alert_id, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let alert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO chizu_rain_alerts (layer_id, site_key, threshold_id, label, measure, threshold_mm, value_mm, observed_at, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            func append(_ content: RainFeedMessage.Content) throws {
                switch content {
                case let .reading(r, m, corrected):
                    try feed.execute(arguments: [layer, r.site, r.observedAt, r.value, m.sum60m, m.sum24h, m.eventTotal, corrected, nil, now])
                case let .alert(a):
                    try feed.execute(arguments: [layer, a.site, a.observedAt, nil, nil, nil, nil, false, a.id, now])
                }
                result.messages.append(RainFeedMessage(seq: db.lastInsertedRowID, content: content))
            }
            for site in changed.keys.sorted() {
                let batch = changed[site]!.sorted { $0.0.observedAt < $1.0.observedAt }
                let minT = batch.first!.0.observedAt, maxT = batch.last!.0.observedAt
                let series = try Self.siteSeries(db, layer: layer, site: site, from: minT, to: maxT + 86400 + 3600)
                let rain = RainSeries(series, dryHours: settings.eventDryHours)
                for (r, corrected) in batch {
                    try append(.reading(r, rain.measures(at: r.observedAt), corrected: corrected))
                }
                // Crossings: a reading whose measure reaches a threshold the previous reading's did not.
                let thresholds = settings.thresholds
                guard !thresholds.isEmpty else { continue }
                var previous = series.last(where: { $0.observedAt < minT }).map { rain.measures(at: $0.observedAt) } ?? RainMeasures()
                for r in series where r.observedAt >= minT && r.observedAt <= maxT + 86400 {
                    let m = rain.measures(at: r.observedAt)
                    for th in thresholds where m.value(th.measure) >= th.mm && previous.value(th.measure) < th.mm {
                        try alert.execute(arguments: [layer, site, th.id, th.label, th.measure.rawValue, th.mm, m.value(th.measure), r.observedAt, now])
                        guard db.changesCount > 0 else { continue }
                        let a = RainAlert(id: db.lastInsertedRowID, layer: layer, site: site, thresholdId: th.id, label: th.label, measure: th.measure,
                                          thresholdMm: th.mm, valueMm: m.value(th.measure), observedAt: r.observedAt, recordedAt: now)
                        result.alerts.append(a)
                        try append(.alert(a))
                    }
                    previous = m
                }
            }
            return result
        }
    }

    /// A site's readings needed for derived values in [from, to]: every reading from 25 h before
    /// `from`, and the rainy ones up to 14 days before (event totals look back to the last dry spell).
    static func siteSeries(_ db: Database, layer: String, site: String, from: Int64, to: Int64) throws -> [Reading] {
        let statement = try db.cachedStatement(sql: """
            SELECT observed_at, value FROM chizu_readings
            WHERE layer_id = ? AND site_key = ? AND observed_at > ? AND observed_at <= ? AND (value > 0 OR observed_at > ?)
            ORDER BY observed_at
            """)
        return try Row.fetchAll(statement, arguments: [layer, site, from - 14 * 86400, to, from - 25 * 3600]).map {
            Reading(site: site, observedAt: $0[0], value: $0[1])
        }
    }

    /// The current state of each site: its latest reading, derived values at that reading's time, and
    /// status (stale when the latest reading is older than `staleAfterMinutes` before `now`).
    public func gaugeStates(layer: String, sites: [String], now: Int64, settings: RainSettings) throws -> [String: GaugeState] {
        try pool.read { db in
            var out: [String: GaugeState] = [:]
            let latest = try db.cachedStatement(sql: """
                SELECT observed_at, value FROM chizu_readings WHERE layer_id = ? AND site_key = ? ORDER BY observed_at DESC LIMIT 1
                """)
            for site in sites {
                guard let row = try Row.fetchOne(latest, arguments: [layer, site]) else {
                    out[site] = GaugeState(site: site, observedAt: nil, latest: nil, measures: RainMeasures(), status: .stale)
                    continue
                }
                let t: Int64 = row[0]
                let v: Double? = row[1]
                let rain = RainSeries(try Self.siteSeries(db, layer: layer, site: site, from: t, to: t), dryHours: settings.eventDryHours)
                let status: GaugeState.Status = now - t > Int64(settings.staleAfterMinutes) * 60 ? .stale : (v == nil ? .missing : .ok)
                out[site] = GaugeState(site: site, observedAt: t, latest: v, measures: rain.measures(at: t), status: status)
            }
            return out
        }
    }

    /// A site's readings in (from, to] summed into buckets of `interval` seconds (days are JST days),
    /// every bucket present (empty ones with count 0).
    public func rainBuckets(layer: String, site: String, from: Int64, to: Int64, interval: Int64) throws -> [RainBucket] {
        let offset: Int64 = interval >= 86400 ? 9 * 3600 : 0
        func bucketEnd(_ t: Int64) -> Int64 {
            let local = t + offset
            let q = local >= 0 ? (local + interval - 1) / interval : local / interval
            return q * interval - offset
        }
        let rows: [(Int64, Double?)] = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT observed_at, value FROM chizu_readings WHERE layer_id = ? AND site_key = ? AND observed_at > ? AND observed_at <= ?
                ORDER BY observed_at
                """, arguments: [layer, site, from, to]).map { ($0[0], $0[1]) }
        }
        var buckets: [RainBucket] = []
        var end = bucketEnd(from + 1)
        let last = bucketEnd(to)
        var i = 0
        while end <= last {
            var b = RainBucket(end: end, value: nil, count: 0, missing: 0)
            while i < rows.count && rows[i].0 <= end {
                b.count += 1
                if let v = rows[i].1 { b.value = (b.value ?? 0) + v } else { b.missing += 1 }
                i += 1
            }
            if let v = b.value { b.value = (v * 1000).rounded() / 1000 }
            buckets.append(b)
            end += interval
        }
        return buckets
    }

    /// Alert events, newest first, optionally only those observed at or after `since`.
    public func rainAlerts(layer: String? = nil, since: Int64? = nil, limit: Int = 100) throws -> [RainAlert] {
        try pool.read { db in
            var sql = "SELECT * FROM chizu_rain_alerts WHERE 1"
            var args: [any DatabaseValueConvertible] = []
            if let layer { sql += " AND layer_id = ?"; args.append(layer) }
            if let since { sql += " AND observed_at >= ?"; args.append(since) }
            sql += " ORDER BY observed_at DESC, alert_id DESC LIMIT ?"; args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.rainAlert)
        }
    }

    static func rainAlert(_ row: Row) -> RainAlert {
        RainAlert(id: row["alert_id"], layer: row["layer_id"], site: row["site_key"], thresholdId: row["threshold_id"], label: row["label"],
                  measure: RainMeasure(rawValue: row["measure"]) ?? .sum60m, thresholdMm: row["threshold_mm"], valueMm: row["value_mm"],
                  observedAt: row["observed_at"], recordedAt: row["recorded_at"])
    }

    /// Feed messages after `seq`, oldest first (for SSE replay after Last-Event-ID).
    public func rainFeed(after seq: Int64, limit: Int = 10_000) throws -> [RainFeedMessage] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.seq, f.site_key, f.observed_at AS t, f.value, f.sum_60m, f.sum_24h, f.event_total, f.corrected, a.*
                FROM chizu_rain_feed f LEFT JOIN chizu_rain_alerts a ON a.alert_id = f.alert_id
                WHERE f.seq > ? ORDER BY f.seq LIMIT ?
                """, arguments: [seq, limit]).map { row in
                if row["alert_id"] as Int64? != nil { return RainFeedMessage(seq: row["seq"], content: .alert(Self.rainAlert(row))) }
                let m = RainMeasures(sum60m: row["sum_60m"], sum24h: row["sum_24h"], eventTotal: row["event_total"])
                return RainFeedMessage(seq: row["seq"], content: .reading(Reading(site: row["site_key"], observedAt: row["t"], value: row["value"]),
                                                                          m, corrected: row["corrected"]))
            }
        }
    }

    /// The newest feed seq (0 when empty): changes whenever derived values may have changed.
    public func rainFeedHead() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM chizu_rain_feed") ?? 0 }
    }
}
