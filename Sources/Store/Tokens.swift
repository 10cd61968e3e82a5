import Foundation
import GRDB

/// What a token lets its holder do.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Reads the layers its department may see.
    case reader
    /// Reads, and writes its department's layers (ingest, readings).
    case editor
    /// Sees and administers everything (digital administration).
    case admin
}

/// A stored API token's record (never the secret itself: only its SHA-256 hash is kept).
public struct TokenRecord: Sendable, Hashable {
    public var id: String
    /// The department (e.g. `sewer`), or nil for a device token.
    public var department: String?
    /// A device name for sensor tokens (e.g. rain gauge `G1`), nil for people.
    public var device: String?
    public var role: Role
    public var label: String?
    public var createdAt: String
    public var expiresAt: String?
    public var revokedAt: String?
    /// SHA-256 of the secret part.
    public var secretHash: [UInt8]
    /// For a gateway's device token, the gauges it relays (a gauge's own token needs none: its device name is its site).
    public var sites: [String]

    public init(id: String, department: String?, device: String?, role: Role, label: String?, createdAt: String,
                expiresAt: String?, revokedAt: String?, secretHash: [UInt8], sites: [String] = []) {
        self.id = id; self.department = department; self.device = device; self.role = role; self.label = label; self.sites = sites
        self.createdAt = createdAt; self.expiresAt = expiresAt; self.revokedAt = revokedAt; self.secretHash = secretHash
    }

    /// True when the token is neither revoked nor expired at `now`.
    public func isActive(at now: Date = Date()) -> Bool {
        if revokedAt != nil { return false }
        if let expiresAt, let t = try? Date(expiresAt, strategy: .iso8601), t <= now { return false }
        return true
    }
}

extension SpatialStore {
    /// Adds a token record (the caller generates the secret and hashes it).
    public func insertToken(_ t: TokenRecord) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO chizu_tokens (token_id, department, device, role, label, created_at, expires_at, secret_hash, sites)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [t.id, t.department, t.device, t.role.rawValue, t.label, t.createdAt, t.expiresAt, Data(t.secretHash),
                                 t.sites.isEmpty ? nil : t.sites.joined(separator: ",")])
        }
    }

    /// The token with this id, or nil.
    public func token(id: String) throws -> TokenRecord? {
        try pool.read { db in
            guard try db.tableExists("chizu_tokens") else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM chizu_tokens WHERE token_id = ?", arguments: [id]).map(Self.tokenRecord)
        }
    }

    /// Every token, newest first.
    public func tokens() throws -> [TokenRecord] {
        try pool.read { db in
            guard try db.tableExists("chizu_tokens") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT * FROM chizu_tokens ORDER BY created_at DESC, token_id").map(Self.tokenRecord)
        }
    }

    /// Marks a token revoked; returns false when no such token exists.
    @discardableResult
    public func revokeToken(id: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "UPDATE chizu_tokens SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL",
                           arguments: [Self.iso(Date()), id])
            if db.changesCount > 0 { return true }
            return try Int.fetchOne(db, sql: "SELECT 1 FROM chizu_tokens WHERE token_id = ?", arguments: [id]) != nil
        }
    }

    static func tokenRecord(_ row: Row) -> TokenRecord {
        let hash: Data = row["secret_hash"]
        return TokenRecord(id: row["token_id"], department: row["department"], device: row["device"],
                           role: Role(rawValue: row["role"]) ?? .reader, label: row["label"], createdAt: row["created_at"],
                           expiresAt: row["expires_at"], revokedAt: row["revoked_at"], secretHash: [UInt8](hash),
                           sites: (row["sites"] as String?)?.split(separator: ",").map(String.init) ?? [])
    }

    /// Tokens, audit log and access counts live beside the layers.
    static func ensureSecurityTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS chizu_tokens (
                token_id TEXT PRIMARY KEY, department TEXT, device TEXT, role TEXT NOT NULL, label TEXT,
                created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT, secret_hash BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS chizu_audit (
                audit_id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, token_id TEXT, department TEXT,
                layer_id TEXT NOT NULL, action TEXT NOT NULL, target TEXT, feature_count INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS chizu_access_counts (
                day TEXT NOT NULL, layer_id TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (day, layer_id)) WITHOUT ROWID;
            """)
    }
}

/// One access to an internal layer: who, what, when, how many features.
public struct AuditEntry: Sendable, Hashable {
    public var at: Date
    public var tokenId: String?
    public var department: String?
    public var layer: String
    /// e.g. `items`, `item`, `tile`, `export`.
    public var action: String
    /// The URL path asked for.
    public var target: String
    public var featureCount: Int
    public init(at: Date = Date(), tokenId: String?, department: String?, layer: String, action: String, target: String, featureCount: Int) {
        self.at = at; self.tokenId = tokenId; self.department = department; self.layer = layer
        self.action = action; self.target = target; self.featureCount = featureCount
    }
}

extension SpatialStore {
    /// Appends audit entries and adds to the per-day public access counts, in one transaction.
    public func record(audit: [AuditEntry], publicAccesses: [String: [String: Int]]) throws {
        if audit.isEmpty && publicAccesses.isEmpty { return }
        try pool.write { db in
            let a = try db.cachedStatement(sql: """
                INSERT INTO chizu_audit (at, token_id, department, layer_id, action, target, feature_count) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for e in audit {
                try a.execute(arguments: [Self.iso(e.at), e.tokenId, e.department, e.layer, e.action, e.target, e.featureCount])
            }
            let c = try db.cachedStatement(sql: """
                INSERT INTO chizu_access_counts (day, layer_id, count) VALUES (?, ?, ?)
                ON CONFLICT(day, layer_id) DO UPDATE SET count = count + excluded.count
                """)
            for (day, layers) in publicAccesses { for (layer, n) in layers { try c.execute(arguments: [day, layer, n]) } }
        }
    }

    /// The audit log, newest first.
    public func auditEntries(layer: String? = nil, limit: Int = 100) throws -> [AuditEntry] {
        try pool.read { db in
            guard try db.tableExists("chizu_audit") else { return [] }
            var sql = "SELECT * FROM chizu_audit"
            var args: [any DatabaseValueConvertible] = []
            if let layer { sql += " WHERE layer_id = ?"; args.append(layer) }
            sql += " ORDER BY audit_id DESC LIMIT ?"; args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                let at: String = row["at"]
                return AuditEntry(at: (try? Date(at, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0), tokenId: row["token_id"],
                                  department: row["department"], layer: row["layer_id"], action: row["action"],
                                  target: row["target"] ?? "", featureCount: row["feature_count"])
            }
        }
    }

    /// Public accesses per day per layer (for the city's yearly public-GIS access figure).
    public func publicAccessCounts() throws -> [(day: String, layer: String, count: Int)] {
        try pool.read { db in
            guard try db.tableExists("chizu_access_counts") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT day, layer_id, count FROM chizu_access_counts ORDER BY day, layer_id").map {
                (day: $0["day"], layer: $0["layer_id"], count: $0["count"])
            }
        }
    }
}
