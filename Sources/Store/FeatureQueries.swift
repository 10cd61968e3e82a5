import Foundation
import GRDB
import Layers

/// A feature as stored: its row id, typed properties, geometry (WKB, storage CRS) and lineage.
public struct StoredFeature: Sendable, Hashable {
    public var fid: Int64
    public var properties: [String: FieldValue]
    public var wkb: [UInt8]
    /// The ingest run that wrote this feature.
    public var runId: Int64?
}

/// A rectangle in a layer's storage CRS, for spatial-index queries.
public struct StorageBox: Sendable, Hashable {
    public var minX, minY, maxX, maxY: Double
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
}

/// One recorded ingest run (lineage).
public struct IngestRunInfo: Sendable, Hashable {
    public var runId: Int64
    public var layerId: String
    public var kind: String
    public var files: [String]
    public var checksum: String
    public var mode: String
    public var startedAt: String
    public var finishedAt: String?
    public var status: String
    public var counts: RunCounts
    public var report: String?
    /// The layer version this run produced (nil for refused runs and readings).
    public var layerVersion: Int64?
}

extension SpatialStore {
    /// Features of a layer, optionally only those whose bounding box meets `box` (via the R*Tree
    /// spatial index), in fid order, paged by `limit`/`offset`.
    public func features(of layer: LayerDefinition, in box: StorageBox? = nil, limit: Int = 100,
                         offset: Int = 0) throws -> [StoredFeature] {
        try pool.read { db in
            let cols = layer.fields.map { "t.\(Self.quote($0.name))" }.joined(separator: ", ")
            var sql = "SELECT t.fid, \(cols), AsBinary(t.geom) AS _wkb, t._run_id FROM \(Self.quote(layer.id)) t"
            var args: [any DatabaseValueConvertible] = []
            if let box {
                sql += """
                     JOIN \(Self.quote("idx_\(layer.id)_geom")) i ON i.pkid = t.fid
                     WHERE i.xmin <= ? AND i.xmax >= ? AND i.ymin <= ? AND i.ymax >= ?
                    """
                args = [box.maxX, box.minX, box.maxY, box.minY]
            }
            sql += " ORDER BY t.fid LIMIT ? OFFSET ?"
            args += [limit, offset]
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { Self.feature($0, layer) }
        }
    }

    /// The feature with this key, or nil.
    public func feature(of layer: LayerDefinition, key: String) throws -> StoredFeature? {
        try pool.read { db in
            let cols = layer.fields.map { Self.quote($0.name) }.joined(separator: ", ")
            return try Row.fetchOne(db, sql: """
                SELECT fid, \(cols), AsBinary(geom) AS _wkb, _run_id FROM \(Self.quote(layer.id))
                WHERE CAST(\(Self.quote(layer.keyField)) AS TEXT) = ?
                """, arguments: [key]).map { Self.feature($0, layer) }
        }
    }

    /// Number of features in a layer, optionally within a box.
    public func count(of layer: LayerDefinition, in box: StorageBox? = nil) throws -> Int {
        try pool.read { db in
            guard let box else { return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(Self.quote(layer.id))") ?? 0 }
            return try Int.fetchOne(db, sql: """
                SELECT count(*) FROM \(Self.quote("idx_\(layer.id)_geom"))
                WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?
                """, arguments: [box.maxX, box.minX, box.maxY, box.minY]) ?? 0
        }
    }

    /// A feature from a row selected as `fid, <fields in definition order>, _wkb, _run_id`. Columns are
    /// read by position: GRDB's by-name lookup is case-insensitive and costs more than the value.
    static func feature(_ row: Row, _ layer: LayerDefinition) -> StoredFeature {
        var props: [String: FieldValue] = Dictionary(minimumCapacity: layer.fields.count)
        for (i, field) in layer.fields.enumerated() { props[field.name] = FieldValue(row[i + 1] as DatabaseValue, type: field.type) }
        let n = layer.fields.count
        let blob: Data? = row[n + 1]
        return StoredFeature(fid: row[0], properties: props, wkb: blob.map { [UInt8]($0) } ?? [], runId: row[n + 2])
    }

    /// Ingest runs, newest first, optionally for one layer.
    public func ingestRuns(layer: String? = nil, limit: Int = 50) throws -> [IngestRunInfo] {
        try pool.read { db in
            var sql = "SELECT * FROM chizu_ingest_runs"
            var args: [any DatabaseValueConvertible] = []
            if let layer { sql += " WHERE layer_id = ?"; args.append(layer) }
            sql += " ORDER BY run_id DESC LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                let filesJSON: String = row["files"]
                let files = (try? JSONDecoder().decode([String].self, from: Data(filesJSON.utf8))) ?? []
                return IngestRunInfo(runId: row["run_id"], layerId: row["layer_id"], kind: row["kind"], files: files,
                                     checksum: row["checksum"], mode: row["mode"], startedAt: row["started_at"],
                                     finishedAt: row["finished_at"], status: row["status"],
                                     counts: RunCounts(read: row["features_read"], written: row["features_written"],
                                                       repaired: row["features_repaired"], rejected: row["features_rejected"]),
                                     report: row["report"], layerVersion: row["layer_version"])
            }
        }
    }
}

extension SpatialStore {
    /// The bounding box of a layer's features in its storage CRS (from the spatial index), or nil when empty.
    public func extent(of layer: LayerDefinition) throws -> StorageBox? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT min(xmin) AS a, min(ymin) AS b, max(xmax) AS c, max(ymax) AS d FROM \(Self.quote("idx_\(layer.id)_geom"))
                """), let a: Double = row["a"], let b: Double = row["b"], let c: Double = row["c"], let d: Double = row["d"] else { return nil }
            return StorageBox(minX: a, minY: b, maxX: c, maxY: d)
        }
    }
}
