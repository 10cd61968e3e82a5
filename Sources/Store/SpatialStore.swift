import Foundation
import GRDB
import GRDBSQLite
import Layers

/// Errors from the store, each saying what failed and where.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case cannotLoadSpatiaLite(path: String, reason: String)
    case notInitialised(path: String)
    case unknownLayer(String)
    case schemaConflict(layer: String, field: String, reason: String)
    case invalidGeometry(layer: String, key: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotLoadSpatiaLite(path, reason):
            "\(path): cannot load mod_spatialite (\(reason)); install libsqlite3-mod-spatialite (make setup)"
        case let .notInitialised(path): "\(path): not a Chizu database; run `chizu db init --db \(path)` first"
        case let .unknownLayer(id): "layer \"\(id)\" is not in the database; run `chizu db init` with its definition"
        case let .schemaConflict(layer, field, reason): "layer \(layer), field \(field): \(reason)"
        case let .invalidGeometry(layer, key, reason): "layer \(layer), feature \(key): geometry rejected by SpatiaLite: \(reason)"
        }
    }
}

/// The embedded default store: one SpatiaLite database file in WAL mode.
///
/// One writer and a pool of readers (GRDB's `DatabasePool`): readers see a consistent snapshot and are
/// never blocked by a write; every write is one transaction. Layer tables carry a registered geometry
/// column (SRID, type) and a SpatiaLite R*Tree spatial index, so QGIS and `ogrinfo` open the file as is.
public final class SpatialStore: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    /// The layers' versions without a table read per call (see `LayerVersionWatch`).
    public let versionWatch: LayerVersionWatch

    /// Opens (and with `create`, creates) the database at `path`, loading mod_spatialite on every connection.
    public init(path: String, create: Bool = false, readonly: Bool = false) throws {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) { throw StoreError.notInitialised(path: path) }
        var config = Configuration()
        config.readonly = readonly
        config.busyMode = .timeout(10)
        config.maximumReaderCount = max(4, ProcessInfo.processInfo.activeProcessorCount * 2)
        let dbPath = path
        config.prepareDatabase { db in
            try SpatialStore.loadSpatiaLite(db, path: dbPath)
        }
        pool = try DatabasePool(path: path, configuration: config)
        if create {
            try Self.migrator.migrate(pool)
        } else {
            let (isChizu, current) = try pool.read { db in
                (try db.tableExists("chizu_layers"), try Self.migrator.hasCompletedMigrations(db))
            }
            if !isChizu { throw StoreError.notInitialised(path: path) }
            // A database from an earlier Chizu is brought up to date (migrations only add).
            if !current && !readonly { try Self.migrator.migrate(pool) }
        }
        versionWatch = try LayerVersionWatch(path: path, readonly: readonly)
    }

    static func loadSpatiaLite(_ db: Database, path: String) throws {
        guard let handle = db.sqliteConnection else { return }
        sqlite3_enable_load_extension(handle, 1)
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_load_extension(handle, "mod_spatialite", nil, &err)
        sqlite3_enable_load_extension(handle, 0)
        if rc != SQLITE_OK {
            let reason = err.map { String(cString: $0) } ?? "code \(rc)"
            sqlite3_free(err)
            throw StoreError.cannotLoadSpatiaLite(path: path, reason: reason)
        }
    }

    /// Ordered, named schema steps. New steps are appended, never edited.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1-spatial-metadata") { db in
            // Inside the migration's transaction, so no transaction argument.
            _ = try Int.fetchOne(db, sql: "SELECT InitSpatialMetaData()")
        }
        m.registerMigration("v1-chizu-metadata") { db in
            try db.execute(sql: """
                CREATE TABLE chizu_layers (
                    layer_id TEXT PRIMARY KEY,
                    title_ja TEXT NOT NULL,
                    title_en TEXT NOT NULL,
                    geometry_type TEXT NOT NULL,
                    srid INTEGER NOT NULL,
                    access TEXT NOT NULL,
                    department TEXT NOT NULL,
                    key_field TEXT NOT NULL,
                    version INTEGER NOT NULL DEFAULT 0,
                    feature_count INTEGER NOT NULL DEFAULT 0,
                    updated_at TEXT,
                    last_run_id INTEGER REFERENCES chizu_ingest_runs(run_id)
                );
                CREATE TABLE chizu_ingest_runs (
                    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
                    layer_id TEXT NOT NULL,
                    kind TEXT NOT NULL DEFAULT 'features',
                    files TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    status TEXT NOT NULL,
                    features_read INTEGER NOT NULL DEFAULT 0,
                    features_written INTEGER NOT NULL DEFAULT 0,
                    features_repaired INTEGER NOT NULL DEFAULT 0,
                    features_rejected INTEGER NOT NULL DEFAULT 0,
                    report TEXT
                );
                CREATE INDEX chizu_ingest_runs_layer ON chizu_ingest_runs(layer_id, run_id);
                CREATE TABLE chizu_readings (
                    layer_id TEXT NOT NULL,
                    site_key TEXT NOT NULL,
                    observed_at INTEGER NOT NULL,
                    value REAL,
                    run_id INTEGER REFERENCES chizu_ingest_runs(run_id),
                    received_at TEXT NOT NULL,
                    PRIMARY KEY (layer_id, site_key, observed_at)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v2-tokens-audit-access-counts") { db in
            try SpatialStore.ensureSecurityTables(db)
        }
        m.registerMigration("v3-run-layer-version") { db in
            try db.execute(sql: "ALTER TABLE chizu_ingest_runs ADD COLUMN layer_version INTEGER")
        }
        m.registerMigration("v4-rain-feed-alerts-gateway-sites") { db in
            try SpatialStore.createRainTables(db)
            try db.execute(sql: "ALTER TABLE chizu_tokens ADD COLUMN sites TEXT")
        }
        m.registerMigration("v5-route-plans") { db in
            try SpatialStore.createRoutePlanTables(db)
        }
        return m
    }()

    /// Size of the database file plus its WAL, in bytes.
    public var fileSize: Int64 {
        let fm = FileManager.default
        return [path, path + "-wal"].reduce(Int64(0)) { sum, p in
            sum + ((try? fm.attributesOfItem(atPath: p)[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    /// One write transaction that is on disk when it returns. Every commit in WAL mode survives a crash
    /// of the process (it is in the WAL file once the commit returns); with GRDB's synchronous=NORMAL
    /// the last commits can still roll back after a power loss or OS crash, since the WAL is synced only
    /// at checkpoints. This commit runs with synchronous=FULL, so the WAL is synced before it returns.
    func durableWrite<T>(_ updates: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            var value: T?
            try db.inTransaction {
                value = try updates(db)
                return .commit
            }
            return value!
        }
    }

    /// Folds the WAL into the main file (so tools that copy only the file see everything).
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Runs `PRAGMA integrity_check`; returns "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }
}
