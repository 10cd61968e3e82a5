import Foundation
import GeoCore
import Layers
import Store

/// Checks a CQL2 expression against the fields the caller may query and compiles it to a
/// parameterised SpatiaLite condition that uses the spatial index. Values travel as arguments only.
/// A property the caller may not see gives the same error as one that does not exist.
public struct CQL2Compiler: Sendable {
    public let layer: LayerDefinition
    public let fields: [FieldDefinition]
    /// CRS of geometry literals (nil: CRS84 lon/lat).
    public let filterCRS: CRS?

    public init(layer: LayerDefinition, fields: [FieldDefinition], filterCRS: CRS? = nil) {
        self.layer = layer; self.fields = fields; self.filterCRS = filterCRS
    }

    /// The `FilterCompiler` the items endpoint uses: parses text or JSON, then compiles.
    public static let filterCompiler: FilterCompiler = { text, language, crs, layer, fields in
        do {
            let expr = language == "cql2-json" ? try CQL2JSONParser.parse(text) : try CQL2TextParser.parse(text)
            return try CQL2Compiler(layer: layer, fields: fields, filterCRS: crs).compile(expr)
        } catch let e as FilterError {
            throw QueryError(parameter: "filter", message: "\(language == "cql2-json" ? "at " : "at character ")\(e.position): \(e.message)")
        }
    }

    public func compile(_ e: CQL2Expression) throws -> SQLCondition {
        switch e {
        case .literal(let b): return SQLCondition(sql: b ? "1" : "0")
        case .and(let parts): return try join(parts, "AND")
        case .or(let parts): return try join(parts, "OR")
        case .not(let x):
            let c = try compile(x)
            return SQLCondition(sql: "NOT (\(c.sql))", arguments: c.arguments)
        case let .comparison(op, a, b):
            // Allow literal op property by flipping.
            if case .property = b.kind, !isProperty(a) {
                let flipped: CQL2Comparison = switch op { case .lt: .gt; case .le: .ge; case .gt: .lt; case .ge: .le; default: op }
                return try compile(.comparison(flipped, b, a))
            }
            let (col, field) = try property(a)
            let v = try value(b, for: field, op: op.rawValue)
            if field.type == .datetime { return SQLCondition(sql: "julianday(\(col)) \(op.rawValue) julianday(?)", arguments: [v]) }
            return SQLCondition(sql: "\(col) \(op.rawValue) ?", arguments: [v])
        case let .like(a, pattern):
            let (col, field) = try property(a)
            guard field.type == .text else { throw FilterError(a.position, "LIKE needs a text property; '\(field.name)' is \(field.type.rawValue)") }
            guard case .string(let p) = pattern.kind else { throw FilterError(pattern.position, "the LIKE pattern must be a text literal") }
            // CQL2 LIKE is case-sensitive: translate to GLOB (escaping GLOB's own wildcards).
            return SQLCondition(sql: "\(col) GLOB ?", arguments: [.text(Self.glob(p))])
        case let .between(a, lo, hi):
            let (col, field) = try property(a)
            guard [.integer, .real, .date, .datetime].contains(field.type) else {
                throw FilterError(a.position, "BETWEEN needs a number or date property; '\(field.name)' is \(field.type.rawValue)")
            }
            let l = try value(lo, for: field, op: "BETWEEN"), h = try value(hi, for: field, op: "BETWEEN")
            if field.type == .datetime { return SQLCondition(sql: "julianday(\(col)) BETWEEN julianday(?) AND julianday(?)", arguments: [l, h]) }
            return SQLCondition(sql: "\(col) BETWEEN ? AND ?", arguments: [l, h])
        case let .inList(a, items):
            let (col, field) = try property(a)
            guard !items.isEmpty, items.count <= 1000 else { throw FilterError(a.position, "IN needs 1 to 1000 values") }
            let values = try items.map { try value($0, for: field, op: "IN") }
            return SQLCondition(sql: "\(col) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))", arguments: values)
        case .isNull(let a):
            let (col, _) = try property(a)
            return SQLCondition(sql: "\(col) IS NULL")
        case let .spatial(op, a, b):
            let (_, literal) = try spatialArguments(a, b)
            let (g, box) = try storageGeometry(literal, at: a.position)
            let fn = switch op {
            case .intersects: "ST_Intersects(t.geom, GeomFromText(?, \(layer.storageCRS.epsg)))"
            case .within: "ST_Within(t.geom, GeomFromText(?, \(layer.storageCRS.epsg)))"
            case .contains: "ST_Contains(t.geom, GeomFromText(?, \(layer.storageCRS.epsg)))"
            case .disjoint: "ST_Disjoint(t.geom, GeomFromText(?, \(layer.storageCRS.epsg)))"
            }
            if op == .disjoint { return SQLCondition(sql: fn, arguments: [.text(g.wkt())]) }
            return SQLCondition(sql: "\(indexFilter) AND \(fn)",
                                arguments: [.real(box.maxX), .real(box.minX), .real(box.maxY), .real(box.minY), .text(g.wkt())])
        case let .dwithin(a, b, distance, at):
            let (_, literal) = try spatialArguments(a, b)
            guard distance <= 100_000 else { throw FilterError(at, "the distance is limited to 100 km") }
            let (g, box) = try storageGeometry(literal, at: a.position)
            return SQLCondition(sql: "\(indexFilter) AND ST_Distance(t.geom, GeomFromText(?, \(layer.storageCRS.epsg))) <= ?",
                                arguments: [.real(box.maxX + distance), .real(box.minX - distance), .real(box.maxY + distance),
                                            .real(box.minY - distance), .text(g.wkt()), .real(distance)])
        }
    }

    var indexFilter: String {
        "t.fid IN (SELECT pkid FROM \"idx_\(layer.id)_geom\" WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?)"
    }

    func join(_ parts: [CQL2Expression], _ op: String) throws -> SQLCondition {
        let cs = try parts.map(compile)
        return SQLCondition(sql: cs.map { "(\($0.sql))" }.joined(separator: " \(op) "), arguments: cs.flatMap(\.arguments))
    }

    func isProperty(_ o: CQL2Operand) -> Bool { if case .property = o.kind { true } else { false } }

    /// The quoted column of a property operand and its field; unknown and invisible fields alike are errors.
    func property(_ o: CQL2Operand) throws -> (String, FieldDefinition) {
        guard case .property(let name) = o.kind else { throw FilterError(o.position, "expected a property here") }
        guard let f = fields.first(where: { $0.name == name }) else {
            throw FilterError(o.position, "unknown property '\(name)'; queryable: \(fields.map(\.name).joined(separator: ", "))")
        }
        return ("t.\"\(f.name)\"", f)
    }

    /// A literal typed for comparison with `field`, or a type mismatch error at the literal.
    func value(_ o: CQL2Operand, for field: FieldDefinition, op: String) throws -> FieldValue {
        func mismatch(_ what: String) -> FilterError {
            FilterError(o.position, "\(field.name) is \(field.type.rawValue) and cannot be compared (\(op)) with \(what)")
        }
        switch (o.kind, field.type) {
        case (.string(let s), .text): return .text(s)
        case (.number(let n), .integer), (.number(let n), .real): return .real(n)
        case (.boolean(let b), .boolean): return .integer(b ? 1 : 0)
        case (.date(let d), .date):
            guard let iso = JapaneseDate.parse(d) else { throw FilterError(o.position, "'\(d)' is not a date") }
            return .text(iso)
        case (.date(let d), .datetime):
            guard let iso = JapaneseDate.parse(d) else { throw FilterError(o.position, "'\(d)' is not a date") }
            return .text(iso + "T00:00:00+09:00")
        case (.timestamp(let t), .datetime):
            guard let iso = FieldConverter(missingValues: []).dateTime(t) else { throw FilterError(o.position, "'\(t)' is not a timestamp") }
            return .text(iso)
        case (.property, _): throw FilterError(o.position, "comparing two properties is not supported")
        case (.string, _): throw mismatch("a text value")
        case (.number, _): throw mismatch("a number")
        case (.boolean, _): throw mismatch("a boolean")
        case (.date, _): throw mismatch("a DATE")
        case (.timestamp, _): throw mismatch("a TIMESTAMP")
        case (.geometry, _): throw mismatch("a geometry")
        }
    }

    /// (the geometry property, the literal geometry), in either order.
    func spatialArguments(_ a: CQL2Operand, _ b: CQL2Operand) throws -> (CQL2Operand, Geometry) {
        func isGeometryProperty(_ o: CQL2Operand) -> Bool {
            if case .property(let n) = o.kind { return n == "geometry" || n == "geom" }
            return false
        }
        switch (a.kind, b.kind) {
        case (.property, .geometry(let g)) where isGeometryProperty(a): return (a, g)
        case (.geometry(let g), .property) where isGeometryProperty(b): return (b, g)
        case (.property(let n), _) where !isGeometryProperty(a): throw FilterError(a.position, "unknown spatial property '\(n)'; use geometry")
        default: throw FilterError(a.position, "a spatial function needs the property geometry and a geometry literal")
        }
    }

    /// The literal in the storage CRS and its bounding box (for the spatial index). A literal with no
    /// position (`GEOMETRYCOLLECTION(POINT EMPTY)`) or one PROJ sends to infinity has no usable box.
    func storageGeometry(_ g: Geometry, at position: String) throws -> (Geometry, BoundingBox) {
        let stored = try storageGeometry(g)
        guard let box = stored.boundingBox, [box.minX, box.minY, box.maxX, box.maxY].allSatisfy(\.isFinite) else {
            throw FilterError(position, "the geometry literal is empty or has no position in the layer's CRS")
        }
        return (stored, box)
    }

    /// The literal in the storage CRS (from CRS84 or filter-crs, honouring north-first axis order).
    func storageGeometry(_ g: Geometry) throws -> Geometry {
        var source = CRS.wgs84
        var value = g.value
        if let filterCRS {
            source = filterCRS
            if filterCRS.isNorthFirst { value = value.mapCoordinates { Coordinate(x: $0.y, y: $0.x) } }
        }
        do {
            return try Geometry(value).transformed(with: CoordinateTransformer.between(source, layer.storageCRS))
        } catch {
            throw FilterError("geometry", "cannot transform the geometry literal: \(error)")
        }
    }

    /// CQL2 LIKE pattern → SQLite GLOB pattern: % → *, _ → ?, GLOB specials matched literally,
    /// backslash escapes the next character.
    static func glob(_ p: String) -> String {
        var out = ""
        var escape = false
        for c in p {
            if escape { out += literal(c); escape = false; continue }
            switch c {
            case "\\": escape = true
            case "%": out += "*"
            case "_": out += "?"
            default: out += literal(c)
            }
        }
        return out
    }

    static func literal(_ c: Character) -> String { "*?[".contains(c) ? "[\(c)]" : String(c) }
}
