import Foundation
import GRDB
import Layers

/// A parameterised SQL condition on a layer table (aliased `t`), built by the query compiler;
/// values always travel as arguments, never inside the SQL text.
public struct SQLCondition: Sendable, Hashable {
    public var sql: String
    public var arguments: [FieldValue]
    public init(sql: String, arguments: [FieldValue] = []) { self.sql = sql; self.arguments = arguments }
}

/// One page of a search and how many features match in all.
public struct SearchPage: Sendable {
    public var matched: Int
    public var features: [StoredFeature]
    /// The layer as it stood in the snapshot the page was read from (its version names the page's
    /// contents exactly, even when a replace commits while the request runs).
    public var layer: LayerInfo?
}

extension SpatialStore {
    /// Features of a layer matching an optional box (R*Tree) and conditions, in load (fid) order,
    /// paged by `limit`/`offset` or, for streaming, by `afterFid` (keyset paging);
    /// `countMatched` adds the total (one COUNT over the same conditions, in the same snapshot).
    public func search(_ layer: LayerDefinition, box: StorageBox?, conditions: [SQLCondition], limit: Int, offset: Int,
                       afterFid: Int64? = nil, countMatched: Bool = true) throws -> SearchPage {
        try pool.read { db in
            let info = try Self.layerInfo(layer.id, db)
            var from = "\(Self.quote(layer.id)) t"
            var clauses: [String] = []
            var args: [any DatabaseValueConvertible] = []
            if let box {
                from += " JOIN \(Self.quote("idx_\(layer.id)_geom")) i ON i.pkid = t.fid"
                clauses.append("i.xmin <= ? AND i.xmax >= ? AND i.ymin <= ? AND i.ymax >= ?")
                args += [box.maxX, box.minX, box.maxY, box.minY]
            }
            for c in conditions {
                clauses.append("(\(c.sql))")
                args += c.arguments.map { $0.databaseValue ?? DatabaseValue.null }
            }
            let whereSQL = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            var matched = -1
            if countMatched {
                // A box alone is counted on the R*Tree without touching the table.
                let countSQL = conditions.isEmpty && box != nil
                    ? "SELECT count(*) FROM \(Self.quote("idx_\(layer.id)_geom")) i WHERE \(clauses[0])"
                    : "SELECT count(*) FROM \(from)\(whereSQL)"
                matched = try Int.fetchOne(db.cachedStatement(sql: countSQL), arguments: StatementArguments(args)) ?? 0
            }
            var pageWhere = whereSQL
            if let afterFid {
                pageWhere += (whereSQL.isEmpty ? " WHERE " : " AND ") + "t.fid > ?"
                args.append(afterFid)
            }
            let cols = layer.fields.map { "t.\(Self.quote($0.name))" }.joined(separator: ", ")
            // Page the ids first (index-only work), then read just those rows: otherwise every
            // matching row's geometry would be converted and sorted before LIMIT applies.
            let page = "SELECT t.fid FROM \(from)\(pageWhere) ORDER BY t.fid LIMIT ? OFFSET ?"
            let sql = "SELECT t.fid, \(cols), AsBinary(t.geom) AS _wkb, t._run_id FROM \(Self.quote(layer.id)) t WHERE t.fid IN (\(page)) ORDER BY t.fid"
            let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args + [limit, offset]))
            return SearchPage(matched: matched, features: rows.map { Self.feature($0, layer) }, layer: info)
        }
    }
}
