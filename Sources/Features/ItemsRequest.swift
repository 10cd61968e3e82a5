import Foundation
import GeoCore
import Layers
import Store

/// A bad query parameter: which one and what is wrong (the server answers 400 with both).
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var parameter: String
    public var message: String
    public init(parameter: String, message: String) { self.parameter = parameter; self.message = message }
    public var description: String { "\(parameter): \(message)" }
}

/// Compiles a `filter` parameter (CQL2) for a layer and caller into a SQL condition.
public typealias FilterCompiler = @Sendable (_ text: String, _ language: String, _ filterCRS: CRS?, _ layer: LayerDefinition,
                                             _ fields: [FieldDefinition]) throws -> SQLCondition

/// The items query of OGC API - Features Parts 1–3, validated against the layer and the fields the
/// caller may see: `limit`, `offset`, `bbox` (+`bbox-crs`), `crs`, `datetime`, `property=value`,
/// `filter` (+`filter-lang`, `filter-crs`). A field the caller may not see is an unknown parameter.
public struct ItemsRequest: Sendable {
    public static let defaultLimit = 100
    public static let maxLimit = 10_000
    static let reserved: Set<String> = ["f", "lang", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter",
                                        "filter-lang", "filter-crs"]

    public var limit = defaultLimit
    public var offset = 0
    /// In the storage CRS, for the spatial index.
    public var box: StorageBox?
    public var responseCRS: CRS = .wgs84
    public var responseIsCRS84 = true
    public var conditions: [SQLCondition] = []
    /// The query parameters to repeat in paging links (everything but offset).
    public var carried: [(String, String)] = []

    /// Parses and validates `query` (name, value pairs in request order).
    public static func parse(_ query: [(String, String)], layer: LayerDefinition, fields: [FieldDefinition],
                             filterCompiler: FilterCompiler?) throws -> ItemsRequest {
        var r = ItemsRequest()
        var seen: [String: String] = [:]
        for (k, v) in query {
            if seen[k] != nil { throw QueryError(parameter: k, message: "given more than once") }
            seen[k] = v
            if k != "offset" { r.carried.append((k, v)) }
        }
        let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
        for k in seen.keys.sorted() where !reserved.contains(k) && byName[k] == nil {
            throw QueryError(parameter: k, message: "unknown parameter; use one of \(reserved.sorted().joined(separator: ", ")) or a queryable field (\(fields.map(\.name).joined(separator: ", ")))")
        }
        if let s = seen["limit"] {
            guard let n = Int(s), n >= 1 else { throw QueryError(parameter: "limit", message: "must be an integer from 1 to \(maxLimit)") }
            r.limit = min(n, maxLimit)
        }
        if let s = seen["offset"] {
            guard let n = Int(s), n >= 0, n <= 100_000_000 else { throw QueryError(parameter: "offset", message: "must be an integer ≥ 0") }
            r.offset = n
        }
        if let s = seen["crs"] {
            guard let c = ServedCRS.parse(s, storage: layer.storageCRS) else {
                throw QueryError(parameter: "crs", message: "'\(s)' is not offered; use one of \(ServedCRS.uris(storage: layer.storageCRS).joined(separator: ", "))")
            }
            (r.responseCRS, r.responseIsCRS84) = c
        }
        if let s = seen["bbox"] { r.box = try bbox(s, crsText: seen["bbox-crs"], storage: layer.storageCRS) }
        else if seen["bbox-crs"] != nil { throw QueryError(parameter: "bbox-crs", message: "given without bbox") }
        if let s = seen["datetime"] { r.conditions += try datetime(s, layer: layer, fields: fields) }
        for (k, v) in seen.sorted(by: { $0.key < $1.key }) where byName[k] != nil && !reserved.contains(k) {
            r.conditions.append(try equality(byName[k]!, v))
        }
        if let text = seen["filter"] {
            let lang = (seen["filter-lang"] ?? "cql2-text").lowercased()
            guard lang == "cql2-text" || lang == "cql2-json" else {
                throw QueryError(parameter: "filter-lang", message: "use cql2-text or cql2-json")
            }
            var filterCRS: CRS?
            if let c = seen["filter-crs"] {
                guard let parsed = ServedCRS.parse(c, storage: layer.storageCRS) else {
                    throw QueryError(parameter: "filter-crs", message: "'\(c)' is not offered")
                }
                filterCRS = parsed.isCRS84 ? nil : parsed.crs
            }
            guard let filterCompiler else { throw QueryError(parameter: "filter", message: "filtering is not available") }
            r.conditions.append(try filterCompiler(text, lang, filterCRS, layer, fields))
        } else if seen["filter-lang"] != nil || seen["filter-crs"] != nil {
            throw QueryError(parameter: seen["filter-lang"] != nil ? "filter-lang" : "filter-crs", message: "given without filter")
        }
        return r
    }

    /// `minx,miny,maxx,maxy` (or 6 numbers with heights, ignored) in `bbox-crs` → storage box.
    static func bbox(_ s: String, crsText: String?, storage: CRS) throws -> StorageBox {
        let parts = s.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4 || parts.count == 6, parts.allSatisfy({ $0?.isFinite == true }) else {
            throw QueryError(parameter: "bbox", message: "must be 4 (or 6) comma-separated numbers: minx,miny,maxx,maxy")
        }
        let n = parts.map { $0! }
        var (x0, y0, x1, y1) = parts.count == 4 ? (n[0], n[1], n[2], n[3]) : (n[0], n[1], n[3], n[4])
        var crs = CRS.wgs84, crs84 = true
        if let crsText {
            guard let c = ServedCRS.parse(crsText, storage: storage) else {
                throw QueryError(parameter: "bbox-crs", message: "'\(crsText)' is not offered; use CRS84, EPSG:4326, EPSG:6677 or EPSG:3857")
            }
            (crs, crs84) = c
        }
        // EPSG:4326 (and EPSG:6677) boxes are in the CRS's axis order: north first.
        if !crs84 && crs.isNorthFirst { (x0, y0, x1, y1) = (y0, x0, y1, x1) }
        guard x0 <= x1, y0 <= y1 else { throw QueryError(parameter: "bbox", message: "the lower corner must come first (minx ≤ maxx, miny ≤ maxy)") }
        if crs.isGeographic {
            guard x0 >= -180, x1 <= 180, y0 >= -90, y1 <= 90 else {
                throw QueryError(parameter: "bbox", message: "longitudes must be within -180…180 and latitudes within -90…90")
            }
            // PROJ cannot take the whole world into a plane CRS: clamp to the CRS's reasonable area.
            (x0, y0, x1, y1) = (max(x0, 120), max(y0, 20), min(x1, 155), min(y1, 50))
            if x0 > x1 || y0 > y1 { return StorageBox(minX: 1, minY: 1, maxX: 0, maxY: 0) }
        }
        do {
            let t = try BoundingBox(minX: x0, minY: y0, maxX: x1, maxY: y1).transformed(with: CoordinateTransformer.between(crs, storage))
            return StorageBox(minX: t.minX, minY: t.minY, maxX: t.maxX, maxY: t.maxY)
        } catch {
            throw QueryError(parameter: "bbox", message: "cannot be transformed to the storage CRS: \(error)")
        }
    }

    /// `datetime`: an instant or an interval (`a/b`, `../b`, `a/..`) on the layer's first
    /// date-time (or date) field. A layer without time ignores it, as OGC API - Features says.
    static func datetime(_ s: String, layer: LayerDefinition, fields: [FieldDefinition]) throws -> [SQLCondition] {
        let converter = FieldConverter(missingValues: [])
        // The syntax is checked even for a layer without time, so a typo is never silently ignored.
        for part in s.split(separator: "/", omittingEmptySubsequences: false) where part != ".." && !part.isEmpty {
            if converter.dateTime(String(part)) == nil { throw QueryError(parameter: "datetime", message: "'\(part)' is not an RFC 3339 date-time") }
        }
        guard let field = fields.first(where: { $0.type == .datetime }) ?? fields.first(where: { $0.type == .date }) else { return [] }
        func instant(_ t: String) throws -> String? {
            if t == ".." || t.isEmpty { return nil }
            if field.type == .date, let d = JapaneseDate.parse(String(t.prefix(10))) { return d }
            guard let iso = converter.dateTime(t) else { throw QueryError(parameter: "datetime", message: "'\(t)' is not an RFC 3339 date-time") }
            return field.type == .date ? String(iso.prefix(10)) : iso
        }
        let col = "t.\"\(field.name)\""
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            guard let t = try instant(parts[0]) else { throw QueryError(parameter: "datetime", message: "an instant cannot be '..'") }
            return [SQLCondition(sql: field.type == .date ? "\(col) = ?" : "julianday(\(col)) = julianday(?)", arguments: [.text(t)])]
        case 2:
            var out: [SQLCondition] = []
            let a = try instant(parts[0]), b = try instant(parts[1])
            if let a { out.append(SQLCondition(sql: field.type == .date ? "\(col) >= ?" : "julianday(\(col)) >= julianday(?)", arguments: [.text(a)])) }
            if let b { out.append(SQLCondition(sql: field.type == .date ? "\(col) <= ?" : "julianday(\(col)) <= julianday(?)", arguments: [.text(b)])) }
            return out
        default:
            throw QueryError(parameter: "datetime", message: "use an instant or an interval start/end (.. for open)")
        }
    }

    /// `field=value`: equality on a queryable field, the value typed like the field.
    static func equality(_ field: FieldDefinition, _ value: String) throws -> SQLCondition {
        let col = "t.\"\(field.name)\""
        let v: FieldValue
        switch FieldConverter(missingValues: []).convert(.string(value), for: FieldDefinition(name: field.name, type: field.type, label: field.label)) {
        case .success(let x): v = x
        case .failure(let p): throw QueryError(parameter: field.name, message: p.description)
        }
        if v.isNull { return SQLCondition(sql: "\(col) IS NULL") }
        if field.type == .datetime { return SQLCondition(sql: "julianday(\(col)) = julianday(?)", arguments: [v]) }
        return SQLCondition(sql: "\(col) = ?", arguments: [v])
    }
}
