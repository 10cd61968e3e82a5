import Foundation
import GRDB
import Layers

/// What the database knows about one layer.
public struct LayerInfo: Sendable, Hashable {
    public var id: String
    public var title: LocalizedText
    public var geometryType: String
    public var srid: Int
    public var access: String
    public var department: String
    /// Bumped by every write that changes the layer's features.
    public var version: Int64
    public var featureCount: Int64
    public var updatedAt: String?
    public var lastRunId: Int64?
}

extension SpatialStore {
    /// SQL column type of a field type.
    static func sqlType(_ t: FieldType) -> String {
        switch t {
        case .text, .date, .datetime: "TEXT"
        case .integer, .boolean: "INTEGER"
        case .real: "REAL"
        }
    }

    /// Quotes an identifier for SQL.
    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Creates each layer's table (geometry column registered with its SRID and type, spatial index,
    /// unique key) or, for a table that exists, adds fields the definition gained. A field whose type
    /// changed is a conflict: the store never silently rewrites data.
    public func ensureLayers(_ layers: [LayerDefinition]) throws {
        try pool.write { db in
            for layer in layers { try Self.ensureLayer(layer, db) }
        }
    }

    static func ensureLayer(_ layer: LayerDefinition, _ db: Database) throws {
        let table = quote(layer.id)
        if try db.tableExists(layer.id) {
            let existing = Dictionary(uniqueKeysWithValues: try db.columns(in: layer.id).map { ($0.name, $0.type.uppercased()) })
            for field in layer.fields {
                let want = sqlType(field.type)
                if let have = existing[field.name] {
                    if have != want {
                        throw StoreError.schemaConflict(layer: layer.id, field: field.name,
                                                        reason: "stored as \(have), the definition now says \(field.type.rawValue)")
                    }
                } else {
                    try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(quote(field.name)) \(want)")
                }
            }
            let geom = try Row.fetchOne(db, sql: """
                SELECT geometry_type, srid FROM geometry_columns WHERE f_table_name = ? AND f_geometry_column = 'geom'
                """, arguments: [layer.id.lowercased()])
            if let geom, let srid: Int = geom["srid"], srid != layer.storageCRS.epsg {
                throw StoreError.schemaConflict(layer: layer.id, field: "geom",
                                                reason: "stored in EPSG:\(srid), the definition now says \(layer.storageCRS)")
            }
        } else {
            var columns = ["fid INTEGER PRIMARY KEY AUTOINCREMENT"]
            for field in layer.fields {
                let notNull = field.name == layer.keyField ? " NOT NULL" : ""
                columns.append("\(quote(field.name)) \(sqlType(field.type))\(notNull)")
            }
            columns.append("_run_id INTEGER REFERENCES chizu_ingest_runs(run_id)")
            try db.execute(sql: "CREATE TABLE \(table) (\(columns.joined(separator: ", ")))")
            let added = try Int.fetchOne(db, sql: "SELECT AddGeometryColumn(?, 'geom', ?, ?, 'XY', 1)",
                                         arguments: [layer.id, layer.storageCRS.epsg, layer.geometryType.ogcName]) ?? 0
            guard added == 1 else {
                throw StoreError.schemaConflict(layer: layer.id, field: "geom", reason: "SpatiaLite refused the geometry column")
            }
            _ = try Int.fetchOne(db, sql: "SELECT CreateSpatialIndex(?, 'geom')", arguments: [layer.id])
            try db.execute(sql: "CREATE UNIQUE INDEX \(quote("\(layer.id)_key")) ON \(table)(\(quote(layer.keyField)))")
        }
        try db.execute(sql: """
            INSERT INTO chizu_layers (layer_id, title_ja, title_en, geometry_type, srid, access, department, key_field)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(layer_id) DO UPDATE SET title_ja = excluded.title_ja, title_en = excluded.title_en,
                access = excluded.access, department = excluded.department, key_field = excluded.key_field
            """, arguments: [layer.id, layer.title.ja, layer.title.en, layer.geometryType.ogcName,
                             layer.storageCRS.epsg, layer.access.rawValue, layer.department, layer.keyField])
    }

    /// Every layer the database holds, in id order.
    public func layerInfos() throws -> [LayerInfo] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM chizu_layers ORDER BY layer_id").map(Self.layerInfo)
        }
    }

    /// One layer's information, or nil when the database does not hold it.
    public func layerInfo(_ id: String) throws -> LayerInfo? {
        try pool.read { db in try Self.layerInfo(id, db) }
    }

    static func layerInfo(_ id: String, _ db: Database) throws -> LayerInfo? {
        try Row.fetchOne(db, sql: "SELECT * FROM chizu_layers WHERE layer_id = ?", arguments: [id]).map(layerInfo)
    }

    static func layerInfo(_ row: Row) -> LayerInfo {
        LayerInfo(id: row["layer_id"], title: LocalizedText(ja: row["title_ja"], en: row["title_en"]),
                  geometryType: row["geometry_type"], srid: row["srid"], access: row["access"],
                  department: row["department"], version: row["version"], featureCount: row["feature_count"],
                  updatedAt: row["updated_at"], lastRunId: row["last_run_id"])
    }
}
