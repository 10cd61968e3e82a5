import Foundation

// GeoJSON geometry objects (RFC 7946 §3.1). Positions are [x, y] = [longitude, latitude] or
// [easting, northing]; extra ordinates (altitude) are dropped on reading.

extension Geometry {
    /// Reads a GeoJSON geometry object from JSON text.
    public init(geoJSON data: Data) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw GeometryError.invalidGeoJSON("not valid JSON (\(error.localizedDescription))")
        }
        guard let dict = object as? [String: Any] else {
            throw GeometryError.invalidGeoJSON("expected a JSON object with \"type\" and \"coordinates\"")
        }
        try self.init(geoJSONObject: dict)
    }

    /// Reads a GeoJSON geometry object from JSON text.
    public init(geoJSON text: String) throws {
        try self.init(geoJSON: Data(text.utf8))
    }

    /// Reads a GeoJSON geometry from a parsed JSON object (as from `JSONSerialization`).
    public init(geoJSONObject object: [String: Any]) throws {
        let value = try GeoJSONReader.geometry(object, path: nil)
        if let problem = value.structuralProblem { throw GeometryError.invalidGeoJSON(problem) }
        self.init(canonicalWKB: WKBEncoder.encode(value))
    }

    /// The geometry as compact GeoJSON text; `decimals` rounds ordinates (7 suits degrees, 3 metres).
    ///
    /// Throws for NaN or infinite positions, which JSON cannot hold. Empty points inside a
    /// MultiPoint are left out; a lone empty point is written with `"coordinates":[]`.
    public func geoJSON(decimals: Int? = nil) throws -> String {
        try checkFinite()
        var out = ""
        GeoJSONWriter(decimals: decimals).write(value, into: &out)
        return out
    }

    /// The GeoJSON text as UTF-8 `Data`.
    public func geoJSONData(decimals: Int? = nil) throws -> Data {
        Data(try geoJSON(decimals: decimals).utf8)
    }

    /// The GeoJSON geometry as a JSON object, e.g. to embed in a Feature built with `JSONSerialization`.
    public func geoJSONObject(decimals: Int? = nil) throws -> [String: Any] {
        let data = try geoJSONData(decimals: decimals)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw GeometryError.invalidGeoJSON("internal: written GeoJSON did not read back as an object")
        }
        return object
    }
}

private enum GeoJSONReader {
    static func geometry(_ object: [String: Any], path: String?) throws -> GeometryValue {
        let here = path.map { "\($0): " } ?? ""
        guard let type = object["type"] as? String else {
            throw GeometryError.invalidGeoJSON("\(here)missing \"type\" member")
        }
        if type == "GeometryCollection" {
            guard let members = object["geometries"] as? [Any] else {
                throw GeometryError.invalidGeoJSON("\(here)GeometryCollection needs a \"geometries\" array")
            }
            return .geometryCollection(try members.enumerated().map { i, m in
                let p = "\(path.map { "\($0) " } ?? "")GeometryCollection member \(i)"
                guard let dict = m as? [String: Any] else { throw GeometryError.invalidGeoJSON("\(p) is not an object") }
                return try geometry(dict, path: p)
            })
        }
        let known = ["Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"]
        guard known.contains(type) else {
            let hint = type == "Feature" || type == "FeatureCollection" ? " (pass the feature's \"geometry\" member)" : ""
            throw GeometryError.invalidGeoJSON("\(here)\"\(type)\" is not a geometry type\(hint)")
        }
        guard let coords = object["coordinates"] else {
            throw GeometryError.invalidGeoJSON("\(here)\(type) has no \"coordinates\" member")
        }
        let name = here + type
        switch type {
        case "Point":
            if let a = coords as? [Any], a.isEmpty { return .emptyPoint }
            return .point(try position(coords, name))
        case "LineString":
            return .lineString(try positions(coords, name))
        case "Polygon":
            return .polygon(try rings(coords, name))
        case "MultiPoint":
            return .multiPoint(try positions(coords, name))
        case "MultiLineString":
            return .multiLineString(try array(coords, name).enumerated().map { try positions($1, "\(name) line \($0)") })
        default:
            return .multiPolygon(try array(coords, name).enumerated().map { try rings($1, "\(name) polygon \($0)") })
        }
    }

    private static func array(_ any: Any, _ what: String) throws -> [Any] {
        guard let a = any as? [Any] else { throw GeometryError.invalidGeoJSON("\(what): expected an array") }
        return a
    }

    private static func position(_ any: Any, _ what: String) throws -> Coordinate {
        guard let a = any as? [Any], a.count >= 2 else {
            throw GeometryError.invalidGeoJSON("\(what): a position must be an array of at least 2 numbers")
        }
        guard let x = number(a[0]), let y = number(a[1]) else {
            throw GeometryError.invalidGeoJSON("\(what): position \(a.prefix(2)) holds something other than numbers")
        }
        return Coordinate(x: x, y: y)
    }

    /// A JSON number as Double; JSON booleans (which Foundation also hands out as NSNumber) are refused.
    private static func number(_ any: Any) -> Double? {
        if type(of: any) == Bool.self { return nil }
        guard let n = any as? NSNumber else { return nil }
        if String(cString: n.objCType) == "c" { return nil }  // __NSCFBoolean: JSON true/false
        return n.doubleValue
    }

    private static func positions(_ any: Any, _ what: String) throws -> [Coordinate] {
        try array(any, what).enumerated().map { try position($1, "\(what) position \($0)") }
    }

    private static func rings(_ any: Any, _ what: String) throws -> [[Coordinate]] {
        try array(any, what).enumerated().map { try positions($1, "\(what) ring \($0)") }
    }
}

private struct GeoJSONWriter {
    let decimals: Int?

    func write(_ v: GeometryValue, into out: inout String) {
        out += "{\"type\":\"\(v.geometryType.name)\","
        switch v {
        case let .geometryCollection(gs):
            out += "\"geometries\":["
            for (i, g) in gs.enumerated() {
                if i > 0 { out += "," }
                write(g, into: &out)
            }
            out += "]}"
            return
        case let .point(c):
            out += "\"coordinates\":"
            if c.isEmptyMarker { out += "[]" } else { pos(c, &out) }
        case let .lineString(cs):
            out += "\"coordinates\":"; seq(cs, &out)
        case let .polygon(rings):
            out += "\"coordinates\":"; list(rings, &out, seq)
        case let .multiPoint(cs):
            out += "\"coordinates\":"; seq(cs.filter { !$0.isEmptyMarker }, &out)
        case let .multiLineString(ls):
            out += "\"coordinates\":"; list(ls, &out, seq)
        case let .multiPolygon(ps):
            out += "\"coordinates\":"; list(ps, &out) { list($0, &$1, seq) }
        }
        out += "}"
    }

    private func pos(_ c: Coordinate, _ out: inout String) {
        out += "["
        out += OrdinateFormat.format(c.x, decimals: decimals)
        out += ","
        out += OrdinateFormat.format(c.y, decimals: decimals)
        out += "]"
    }

    private func seq(_ cs: [Coordinate], _ out: inout String) {
        list(cs, &out, pos)
    }

    private func list<T>(_ items: [T], _ out: inout String, _ each: (T, inout String) -> Void) {
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            each(item, &out)
        }
        out += "]"
    }
}
