import Foundation
import GRDBSQLite
import Synchronization

/// The layers' current versions, read in microseconds: the hot path of cached tiles asks on every request.
///
/// A dedicated SQLite connection answers `PRAGMA data_version`, which changes whenever any other
/// connection — this process's writer or another process (`chizu ingest` while the server runs) —
/// commits. Only then is `chizu_layers` read again; otherwise the versions read last are still exact.
/// So no stale version is ever returned after a commit has finished, without a table read per request.
///
/// Cheaper still, before even that statement: the WAL-index header (the first 48 bytes of the `-shm`
/// file, SQLite's documented WAL format) changes with every commit — its change counter, frame count
/// and checksums — so while a `pread` of it returns the bytes seen last time, nothing was committed and
/// the versions read last are current without a lock or a statement.
public final class LayerVersionWatch: Sendable {
    private struct State: ~Copyable {
        let connection: OpaquePointer
        let dataVersion: OpaquePointer
        let versions: OpaquePointer
        /// The open `-shm` file, or -1 when there is none to read (then every call asks SQLite).
        let shm: Int32
        /// The WAL-index header as last read (six words); nil when it could not be read.
        var lastHeader: WALIndexHeader?
        var lastDataVersion: Int64 = -1
        var current: [String: Int64] = [:]
        var generation: UInt64 = 0
    }
    private let state: Mutex<State>

    /// Opens a connection of its own to the database at `path` (a Chizu database).
    public init(path: String, readonly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw LayerVersionWatchError(code: SQLITE_CANTOPEN, message: "\(path): \(reason)")
        }
        sqlite3_busy_timeout(db, 10_000)
        func prepare(_ sql: String) throws -> OpaquePointer {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                let error = LayerVersionWatchError(code: sqlite3_errcode(db), message: "\(path): \(String(cString: sqlite3_errmsg(db)))")
                sqlite3_close_v2(db)
                throw error
            }
            return statement
        }
        let dataVersion = try prepare("PRAGMA data_version")
        let versions = try prepare("SELECT layer_id, version FROM chizu_layers")
        // Ask SQLite once, so the connection has opened (and keeps open) the -shm file.
        _ = try Self.step(dataVersion, db) { sqlite3_column_int64($0, 0) }
        let shm = open(path + "-shm", O_RDONLY | O_CLOEXEC)
        state = Mutex(State(connection: db, dataVersion: dataVersion, versions: versions, shm: shm))
    }

    deinit {
        state.withLock { s in
            if s.shm >= 0 { close(s.shm) }
            sqlite3_finalize(s.dataVersion)
            sqlite3_finalize(s.versions)
            sqlite3_close_v2(s.connection)
        }
    }

    /// Every layer's version as of the last commit, and a generation number that changes whenever any
    /// version does (so callers can keep what they derive from the versions until it moves).
    public func current() throws -> (versions: [String: Int64], generation: UInt64) {
        try state.withLock { s in
            if s.shm >= 0 {
                var header = WALIndexHeader()
                let n = withUnsafeMutableBytes(of: &header) { pread(s.shm, $0.baseAddress, 48, 0) }
                if n == 48 && s.lastDataVersion >= 0 && header == s.lastHeader { return (s.current, s.generation) }
                // Read before asking SQLite: a commit after this read changes the header again.
                s.lastHeader = n == 48 ? header : nil
            }
            let dataVersion = try Self.step(s.dataVersion, s.connection) { sqlite3_column_int64($0, 0) }.first ?? 0
            if dataVersion != s.lastDataVersion {
                let rows = try Self.step(s.versions, s.connection) { statement in
                    (String(cString: sqlite3_column_text(statement, 0)), sqlite3_column_int64(statement, 1))
                }
                let versions = Dictionary(rows, uniquingKeysWith: { a, _ in a })
                if versions != s.current { s.current = versions; s.generation &+= 1 }
                s.lastDataVersion = dataVersion
            }
            return (s.current, s.generation)
        }
    }

    /// True when commits are detected from the WAL-index header (false: SQLite is asked every time).
    var readsWALIndex: Bool { state.withLock { $0.shm >= 0 } }

    /// The current version of each named layer (0 for a layer the database does not hold).
    public func versions(of ids: [String]) throws -> [String: Int64] {
        let all = try current().versions
        var out: [String: Int64] = [:]
        for id in ids { out[id] = all[id] ?? 0 }
        return out
    }

    private static func step<T>(_ statement: OpaquePointer, _ db: OpaquePointer, _ row: (OpaquePointer) -> T) throws -> [T] {
        defer { sqlite3_reset(statement) }
        var out: [T] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: out.append(row(statement))
            case SQLITE_DONE: return out
            case let rc: throw LayerVersionWatchError(code: rc, message: String(cString: sqlite3_errmsg(db)))
            }
        }
    }
}

/// The 48-byte WAL-index header as six 64-bit words (compared, never interpreted).
struct WALIndexHeader: Equatable {
    var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0, e: UInt64 = 0, f: UInt64 = 0
}

/// SQLite refused to read the versions (e.g. the database is locked past the busy timeout).
public struct LayerVersionWatchError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var message: String
    public var description: String { "reading layer versions failed (SQLite \(code)): \(message)" }
}
