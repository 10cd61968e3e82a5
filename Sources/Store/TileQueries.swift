import Foundation
import GRDB
import Layers

/// What the tile pipeline asks of one layer: the fields it needs and a box in the storage CRS.
public struct TileLayerQuery: Sendable, Hashable {
    public var layer: LayerDefinition
    public var fields: [FieldDefinition]
    public var box: StorageBox
    /// A query for `fields` of `layer` inside `box`.
    public init(layer: LayerDefinition, fields: [FieldDefinition], box: StorageBox) {
        self.layer = layer; self.fields = fields; self.box = box
    }
}

/// A feature as the tile pipeline needs it: fid, the asked-for values (in the query's field order) and WKB.
public struct TileSourceFeature: Sendable, Hashable {
    public var fid: Int64
    public var values: [FieldValue]
    /// ISO WKB in the layer's storage CRS.
    public var wkb: [UInt8]
}

/// One layer's answer: its version at the moment of reading and its features, in fid order.
public struct TileLayerRows: Sendable, Hashable {
    public var layerId: String
    public var version: Int64
    public var features: [TileSourceFeature]
}

/// Everything one tile reads, from one snapshot: each queried layer's rows and the versions of the
/// layers named (queried or not), so a cache key built from them matches the data exactly.
public struct TileRows: Sendable, Hashable {
    public var versions: [String: Int64]
    public var layers: [TileLayerRows]
}

extension SpatialStore {
    /// Reads several layers' features in one snapshot, each through its R*Tree index, together with
    /// the layer versions that snapshot holds (so a cache key built from them is never stale).
    public func tileRows(_ queries: [TileLayerQuery], versionsOf ids: [String] = []) throws -> TileRows {
        try pool.read { db in
            let versions = try Self.layerVersions(ids + queries.map(\.layer.id), db)
            let layers = try queries.map { q in
                let version = versions[q.layer.id] ?? 0
                let cols = q.fields.map { ", t.\(Self.quote($0.name))" }.joined()
                // The subquery makes SQLite start from the R*Tree, then fetch rows by primary key.
                let statement = try db.cachedStatement(sql: """
                    SELECT t.fid\(cols), AsBinary(t.geom) FROM \(Self.quote(q.layer.id)) t
                    WHERE t.fid IN (SELECT pkid FROM \(Self.quote("idx_\(q.layer.id)_geom"))
                                    WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?)
                    ORDER BY t.fid
                    """)
                let rows = try Row.fetchCursor(statement, arguments: [q.box.maxX, q.box.minX, q.box.maxY, q.box.minY])
                var features: [TileSourceFeature] = []
                let n = q.fields.count
                while let row = try rows.next() {
                    guard let wkb = try row.withUnsafeData(atIndex: n + 1, { $0.map { [UInt8]($0) } }) else { continue }
                    var values: [FieldValue] = []
                    values.reserveCapacity(n)
                    for (i, field) in q.fields.enumerated() { values.append(Self.fieldValue(row, i + 1, field.type)) }
                    features.append(TileSourceFeature(fid: row[0], values: values, wkb: wkb))
                }
                return TileLayerRows(layerId: q.layer.id, version: version, features: features)
            }
            return TileRows(versions: versions, layers: layers)
        }
    }

    /// Reads a column straight into a field value (no intermediate `DatabaseValue`): the hot loop of tiles.
    static func fieldValue(_ row: Row, _ i: Int, _ type: FieldType) -> FieldValue {
        if row.hasNull(atIndex: i) { return .null }
        switch type {
        case .text: return .text(row[i])
        case .date: return .date(row[i])
        case .datetime: return .datetime(row[i])
        case .integer: return .integer(row[i])
        case .real: return .real(row[i])
        case .boolean: return .boolean((row[i] as Int64) != 0)
        }
    }

    /// The current version of each named layer (0 for a layer the database does not hold).
    public func layerVersions(_ ids: [String]) throws -> [String: Int64] {
        try pool.read { db in try Self.layerVersions(ids, db) }
    }

    static func layerVersions(_ ids: [String], _ db: Database) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for id in ids { out[id] = 0 }
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT layer_id, version FROM chizu_layers"))
        while let row = try rows.next() {
            let id: String = row[0]
            if out[id] != nil { out[id] = row[1] }
        }
        return out
    }

    /// The bounding box of a layer's features in its storage CRS, read from the R*Tree; nil when empty.
    public func dataExtent(of layer: LayerDefinition) throws -> StorageBox? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT min(xmin), min(ymin), max(xmax), max(ymax) FROM \(Self.quote("idx_\(layer.id)_geom"))
                """), let minX: Double = row[0], let minY: Double = row[1], let maxX: Double = row[2],
                let maxY: Double = row[3] else { return nil }
            return StorageBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
        }
    }
}
