import Foundation
import GRDB
import Layers

/// A feature as the tile pipeline needs it: fid, the asked-for values (in the query's field order) and WKB.
public struct TileSourceFeature: Sendable, Hashable {
    public var fid: Int64
    public var values: [FieldValue]
    /// ISO WKB in the layer's storage CRS.
    public var wkb: [UInt8]
}

extension SpatialStore {
    /// Reads every feature of `layer` (fid, `fields`' values, WKB) in fid order, in one snapshot, and
    /// returns the layer's version in that snapshot: what the tiles' in-memory layer index is built from.
    ///
    /// `body` runs inside the read transaction for each row, so the layer is never held twice in memory.
    public func forEachTileFeature(of layer: LayerDefinition, fields: [FieldDefinition],
                                   _ body: (TileSourceFeature) throws -> Void) throws -> Int64 {
        try pool.read { db in
            let version = try Self.layerVersions([layer.id], db)[layer.id] ?? 0
            let cols = fields.map { ", \(Self.quote($0.name))" }.joined()
            let rows = try Row.fetchCursor(db, sql: """
                SELECT fid\(cols), AsBinary(geom) FROM \(Self.quote(layer.id)) ORDER BY fid
                """)
            let n = fields.count, types = fields.map(\.type)
            var values: [FieldValue] = []
            values.reserveCapacity(n)
            while let row = try rows.next() {
                guard let wkb = try row.withUnsafeData(atIndex: n + 1, { $0.map { [UInt8]($0) } }) else { continue }
                values.removeAll(keepingCapacity: true)
                for (i, type) in types.enumerated() { values.append(Self.fieldValue(row, i + 1, type)) }
                try body(TileSourceFeature(fid: row[0], values: values, wkb: wkb))
            }
            return version
        }
    }

    /// Reads a column straight into a field value (no intermediate `DatabaseValue`).
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

    /// Each named layer's version in `db`'s snapshot (0 for a layer the database does not hold).
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
