import Foundation
import GeoCore
import GRDB
import GRDBSQLite
import Layers

/// One feature ready to be stored: canonical, typed properties and a WKB geometry in the storage CRS.
public struct FeatureRecord: Sendable, Hashable {
    public var properties: [String: FieldValue]
    /// ISO/OGC WKB, 2D, in the layer's storage CRS.
    public var wkb: [UInt8]
    public init(properties: [String: FieldValue], wkb: [UInt8]) { self.properties = properties; self.wkb = wkb }
}

/// How a load changes a layer's contents.
public enum WriteMode: String, Sendable, CaseIterable {
    /// The new features replace all of the layer's features, atomically.
    case replace
    /// The new features are added; a key that already exists is an error.
    case append
    /// Features whose key exists are updated, others inserted.
    case upsert
}

/// Where a load came from: recorded as an ingest run so every feature can be traced to it.
public struct RunSource: Sendable, Hashable {
    public var files: [String]
    /// SHA-256 of the files' bytes, hex.
    public var checksum: String
    public var startedAt: Date
    public init(files: [String], checksum: String, startedAt: Date) {
        self.files = files; self.checksum = checksum; self.startedAt = startedAt
    }
}

/// Counts a load reports (read and rejected come from the reader; written from the store).
public struct RunCounts: Sendable, Hashable, Codable {
    public var read = 0, written = 0, repaired = 0, rejected = 0
    public init(read: Int = 0, written: Int = 0, repaired: Int = 0, rejected: Int = 0) {
        self.read = read; self.written = written; self.repaired = repaired; self.rejected = rejected
    }
}

/// What a committed load did.
public struct LoadResult: Sendable, Hashable {
    public var runId: Int64
    public var layerVersion: Int64
    public var featureCount: Int64
    public var written: Int
}

extension StoreError {
    /// A key that is already stored (append) or given twice in one load.
    public static func duplicateKey(layer: String, key: String) -> StoreError {
        .schemaConflict(layer: layer, field: "key", reason: "the key \"\(key)\" is already stored")
    }
}

extension SpatialStore {
    static func iso(_ d: Date) -> String {
        d.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
            .timeSeparator(.colon).timeZone(separator: .omitted))
    }

    /// Loads features into a layer in ONE transaction, with its ingest-run record: concurrent readers
    /// see the old contents or the new, never a mix, and a failure leaves the layer exactly as it was.
    public func load(_ features: [FeatureRecord], into layer: LayerDefinition, mode: WriteMode,
                     source: RunSource, counts: RunCounts, report: String? = nil) throws -> LoadResult {
        var pending: [FeatureRecord]? = features
        let result = try load(into: layer, mode: mode, source: source,
                              next: { defer { pending = nil }; return pending },
                              finish: { (counts, report) })
        return result!
    }

    /// The streaming form of `load`: `next` hands over chunks of features until it returns nil, then
    /// `finish` gives the run's final counts and report — or nil to abandon the load, which rolls it
    /// back (nothing changes) and returns nil. Still one transaction, so the caller can read and check
    /// the next chunk while this one is written, with memory bounded by the chunks in flight.
    public func load(into layer: LayerDefinition, mode: WriteMode, source: RunSource,
                     next: () throws -> [FeatureRecord]?,
                     finish: () throws -> (counts: RunCounts, report: String?)?) throws -> LoadResult? {
        struct Abandoned: Error {}
        do {
            return try pool.write { db in
                // Big loads touch the table, its key index and the R*Tree all at once: give the writer
                // room to keep them in memory (128 MB; the default 8 MB thrashes on 100k+ features).
                try db.execute(sql: "PRAGMA cache_size = -131072")
                guard try Self.layerInfo(layer.id, db) != nil else { throw StoreError.unknownLayer(layer.id) }
                let runId = try Self.insertRun(db, layer: layer.id, kind: "features", source: source, mode: mode.rawValue,
                                               status: "committed", counts: RunCounts(), report: nil)
                // SpatiaLite's per-row triggers (geometry constraint check, "last insert" timestamp) cost
                // more than the insert itself. Drop them for the load and put them back at the end, all in
                // this transaction; `insert` checks each geometry's type and dimensions from its WKB header
                // instead (the SRID is set by the INSERT itself).
                let indexTable = "idx_\(layer.id)_geom"
                let indexSQL = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                                   arguments: [indexTable])
                let triggers: [(name: String, sql: String)]
                var spatialIndex: Statement?
                if mode == .replace {
                    // A whole new version: the old rows and their R*Tree go without a trigger per row, and
                    // the new rows' boxes go into a fresh R*Tree as each chunk is written (overlapping the
                    // reading of the next chunks; building it at the end cost a serial second per 100k
                    // features). Still one transaction: readers keep the old version and its index.
                    triggers = try Self.suspendRowTriggers(layer.id, ["ggi", "ggu", "tmi", "tmd", "gii", "giu", "gid"], db)
                    if let indexSQL {
                        try db.execute(sql: "DROP TABLE \(Self.quote(indexTable))")
                        try db.execute(sql: indexSQL)
                        spatialIndex = try db.makeStatement(sql: "INSERT INTO \(Self.quote(indexTable)) (pkid, xmin, xmax, ymin, ymax) VALUES (?, ?, ?, ?, ?)")
                    }
                    try db.execute(sql: "DELETE FROM \(Self.quote(layer.id))")
                } else {
                    triggers = try Self.suspendRowTriggers(layer.id, ["ggi", "ggu", "tmi"], db)
                }
                let constraint = try Self.geometryConstraint(layer.id, db)
                var written = 0
                while let chunk = try next() {
                    written += try Self.insert(chunk, into: layer, mode: mode, runId: runId, constraint: constraint,
                                               spatialIndex: spatialIndex?.sqliteStatement, db)
                }
                guard let (counts, report) = try finish() else { throw Abandoned() }
                try db.execute(sql: """
                    UPDATE chizu_ingest_runs SET features_read = ?, features_repaired = ?, features_rejected = ?, report = ?,
                        finished_at = ? WHERE run_id = ?
                    """, arguments: [counts.read, counts.repaired, counts.rejected, report, Self.iso(Date()), runId])
                if mode == .replace && indexSQL == nil {
                    // A column without its index (made outside Chizu): give it one, as SpatiaLite builds it.
                    _ = try Int.fetchOne(db, sql: "SELECT CreateSpatialIndex(?, 'geom')", arguments: [layer.id])
                }
                try Self.restoreTriggers(triggers, layer: layer.id, db)
                return try Self.finishLoad(db, layer: layer.id, runId: runId, written: written)
            }
        } catch is Abandoned {
            return nil
        }
    }

    static func insert(_ features: [FeatureRecord], into layer: LayerDefinition, mode: WriteMode, runId: Int64,
                       constraint: GeometryConstraint, spatialIndex: OpaquePointer? = nil, _ db: Database) throws -> Int {
        let names = layer.fields.map(\.name)
        let cols = (names.map(quote) + ["geom", "_run_id"]).joined(separator: ", ")
        let marks = (Array(repeating: "?", count: names.count) + ["GeomFromWKB(?, \(layer.storageCRS.epsg))", "?"])
            .joined(separator: ", ")
        var sql = "INSERT INTO \(quote(layer.id)) (\(cols)) VALUES (\(marks))"
        if mode == .upsert {
            let updates = (names.filter { $0 != layer.keyField }.map(quote) + ["geom", "_run_id"])
                .map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            sql += " ON CONFLICT(\(quote(layer.keyField))) DO UPDATE SET \(updates)"
        }
        let statement = try db.cachedStatement(sql: sql)
        // Bound through the C API: building GRDB's StatementArguments per row cost ten times the insert.
        let handle = statement.sqliteStatement
        let keyColumn = names.firstIndex(of: layer.keyField)
        var written = 0
        defer { sqlite3_reset(handle) }
        for feature in features {
            if let problem = constraint.violation(feature.wkb) {
                let key = keyColumn.flatMap { feature.properties[names[$0]]?.description } ?? "?"
                throw StoreError.invalidGeometry(layer: layer.id, key: key, reason: problem)
            }
            sqlite3_reset(handle)
            for (i, name) in names.enumerated() {
                bind(feature.properties[name] ?? .null, at: Int32(i + 1), handle)
            }
            feature.wkb.withUnsafeBytes { _ = sqlite3_bind_blob(handle, Int32(names.count + 1), $0.baseAddress, Int32($0.count), transient) }
            sqlite3_bind_int64(handle, Int32(names.count + 2), runId)
            let rc = sqlite3_step(handle)
            guard rc == SQLITE_DONE else {
                let key = keyColumn.flatMap { feature.properties[names[$0]]?.description } ?? "?"
                let extended = sqlite3_extended_errcode(db.sqliteConnection)
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                if [ResultCode.SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY].contains(ResultCode(rawValue: extended)) {
                    throw StoreError.duplicateKey(layer: layer.id, key: key)
                }
                if rc & 0xFF == SQLITE_CONSTRAINT { throw StoreError.invalidGeometry(layer: layer.id, key: key, reason: message) }
                throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: sql)
            }
            if let spatialIndex, let box = (try? WKB.envelope(feature.wkb)) ?? nil {
                sqlite3_reset(spatialIndex)
                sqlite3_bind_int64(spatialIndex, 1, sqlite3_last_insert_rowid(db.sqliteConnection))
                sqlite3_bind_double(spatialIndex, 2, box.minX); sqlite3_bind_double(spatialIndex, 3, box.maxX)
                sqlite3_bind_double(spatialIndex, 4, box.minY); sqlite3_bind_double(spatialIndex, 5, box.maxY)
                let rc = sqlite3_step(spatialIndex)
                guard rc == SQLITE_DONE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            written += 1
        }
        return written
    }

    /// Drops the layer's per-row triggers on its geometry column of the given kinds (SpatiaLite's
    /// prefixes: ggi/ggu constraint checks, tmi/tmd timestamps, gii/giu/gid spatial index) and returns their SQL.
    static func suspendRowTriggers(_ layer: String, _ kinds: [String], _ db: Database) throws -> [(name: String, sql: String)] {
        let names = kinds.map { "\($0)_\(layer)_geom" }
        let rows = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN (\(names.map { _ in "?" }.joined(separator: ", ")))
            """, arguments: StatementArguments([layer] + names))
        for row in rows { try db.execute(sql: "DROP TRIGGER \(quote(row["name"] as String))") }
        return rows.map { ($0["name"], $0["sql"]) }
    }

    /// Recreates suspended triggers (unless CreateSpatialIndex already did: it rewrites all of a
    /// column's triggers) and records the insert (and delete) time as the dropped triggers would have.
    static func restoreTriggers(_ triggers: [(name: String, sql: String)], layer: String, _ db: Database) throws {
        for t in triggers where try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?)",
                                                   arguments: [t.name])! {
            try db.execute(sql: t.sql)
        }
        let deleted = triggers.contains { $0.name.hasPrefix("tmd_") } ? ", last_delete = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" : ""
        try db.execute(sql: """
            UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')\(deleted)
            WHERE Lower(f_table_name) = Lower(?) AND Lower(f_geometry_column) = 'geom'
            """, arguments: [layer])
    }

    /// The geometry column's declared type (SpatiaLite's code: 1–7 for XY, +1000 Z, +2000 M, +3000 ZM; 0 any).
    static func geometryConstraint(_ layer: String, _ db: Database) throws -> GeometryConstraint {
        let code = try Int.fetchOne(db, sql: """
            SELECT geometry_type FROM geometry_columns WHERE Lower(f_table_name) = Lower(?) AND Lower(f_geometry_column) = 'geom'
            """, arguments: [layer])
        return GeometryConstraint(code: code ?? 0)
    }

    /// SQLite copies bound text and blobs before `bind` returns (our buffers are temporary).
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func bind(_ value: FieldValue, at index: Int32, _ handle: OpaquePointer) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .integer(let i): sqlite3_bind_int64(handle, index, i)
        case .real(let d): sqlite3_bind_double(handle, index, d)
        case .boolean(let b): sqlite3_bind_int64(handle, index, b ? 1 : 0)
        case .text(let s), .date(let s), .datetime(let s):
            var s = s
            s.withUTF8 { u in
                u.withMemoryRebound(to: CChar.self) { _ = sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient) }
            }
        }
    }

    static func insertRun(_ db: Database, layer: String, kind: String, source: RunSource, mode: String, status: String,
                          counts: RunCounts, report: String?) throws -> Int64 {
        let files = String(decoding: try JSONEncoder().encode(source.files), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO chizu_ingest_runs (layer_id, kind, files, checksum, mode, started_at, finished_at, status,
                features_read, features_written, features_repaired, features_rejected, report)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [layer, kind, files, source.checksum, mode, iso(source.startedAt), iso(Date()), status,
                             counts.read, counts.written, counts.repaired, counts.rejected, report])
        return db.lastInsertedRowID
    }

    static func finishLoad(_ db: Database, layer: String, runId: Int64, written: Int) throws -> LoadResult {
        let count = try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(quote(layer))") ?? 0
        try db.execute(sql: "UPDATE chizu_ingest_runs SET features_written = ? WHERE run_id = ?", arguments: [written, runId])
        try db.execute(sql: """
            UPDATE chizu_layers SET version = version + 1, feature_count = ?, updated_at = ?, last_run_id = ?
            WHERE layer_id = ?
            """, arguments: [count, iso(Date()), runId, layer])
        let version = try Int64.fetchOne(db, sql: "SELECT version FROM chizu_layers WHERE layer_id = ?", arguments: [layer]) ?? 0
        try db.execute(sql: "UPDATE chizu_ingest_runs SET layer_version = ? WHERE run_id = ?", arguments: [version, runId])
        return LoadResult(runId: runId, layerVersion: version, featureCount: count, written: written)
    }

    /// Records a load that was refused (nothing stored), so the lineage shows every attempt.
    @discardableResult
    public func recordRejectedRun(layer: String, kind: String = "features", source: RunSource, mode: String,
                                  counts: RunCounts, report: String?) throws -> Int64 {
        try pool.write { db in
            try Self.insertRun(db, layer: layer, kind: kind, source: source, mode: mode, status: "rejected",
                               counts: counts, report: report)
        }
    }
}

extension FieldValue {
    /// The SQLite value of a field value.
    var databaseValue: (any DatabaseValueConvertible)? {
        switch self {
        case .null: nil
        case .text(let s), .date(let s), .datetime(let s): s
        case .integer(let i): i
        case .real(let d): d
        case .boolean(let b): b ? 1 : 0
        }
    }

    /// Reads a stored value back as the field's type.
    init(_ value: DatabaseValue, type: FieldType) {
        switch (value.storage, type) {
        case (.null, _): self = .null
        case (.int64(let i), .boolean): self = .boolean(i != 0)
        case (.int64(let i), .real): self = .real(Double(i))
        case (.int64(let i), _): self = .integer(i)
        case (.double(let d), _): self = .real(d)
        case (.string(let s), .date): self = .date(s)
        case (.string(let s), .datetime): self = .datetime(s)
        case (.string(let s), _): self = .text(s)
        case (.blob, _): self = .null
        }
    }
}
