import Foundation

/// Formats ordinates for WKT and GeoJSON text.
enum OrdinateFormat {
    /// `decimals == nil`: the shortest text that reads back to the same Double ("139.3144", "5").
    /// Otherwise rounded to `decimals` places with trailing zeros removed ("139.3144000" → "139.3144").
    static func format(_ v: Double, decimals: Int?) -> String {
        guard let decimals else {
            var s = v.description
            if s.hasSuffix(".0") { s.removeLast(2) }
            return s == "-0" ? "0" : s
        }
        var s = String(format: "%.\(max(0, min(decimals, 17)))f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}

extension Geometry {
    /// Reads OGC WKT (2D, Z, M or ZM; Z and M are dropped) with GEOS's parser.
    public init(wkt: String) throws {
        let geometry = try GEOSContext.run { ctx in try ctx.geometry(fromWKT: wkt) }
        self = geometry
    }

    /// The geometry as OGC WKT, e.g. `POLYGON ((0 0, 1 0, 1 1, 0 0))`.
    ///
    /// `decimals` rounds ordinates (trailing zeros dropped); nil writes the shortest exact form.
    public func wkt(decimals: Int? = nil) -> String {
        var out = ""
        WKTWriter(decimals: decimals).write(value, into: &out)
        return out
    }
}

/// Writes WKT in Swift so that it is deterministic and needs no GEOS context.
private struct WKTWriter {
    let decimals: Int?

    func write(_ v: GeometryValue, into out: inout String) {
        // Only a part with no members is written EMPTY, so `GEOMETRYCOLLECTION (POINT EMPTY)` keeps its shape.
        out += v.geometryType.name.uppercased()
        out += " "
        switch v {
        case let .point(c):
            if c.isEmptyMarker { out += "EMPTY" } else { out += "("; pos(c, &out); out += ")" }
        case let .lineString(cs): seq(cs, &out)
        case let .polygon(rings): poly(rings, &out)
        case let .multiPoint(cs):
            if cs.isEmpty { out += "EMPTY"; return }
            out += "("
            for (i, c) in cs.enumerated() {
                if i > 0 { out += ", " }
                if c.isEmptyMarker { out += "EMPTY" } else { out += "("; pos(c, &out); out += ")" }
            }
            out += ")"
        case let .multiLineString(ls): list(ls, &out) { seq($0, &$1) }
        case let .multiPolygon(ps): list(ps, &out) { poly($0, &$1) }
        case let .geometryCollection(gs): list(gs, &out) { write($0, into: &$1) }
        }
    }

    private func pos(_ c: Coordinate, _ out: inout String) {
        out += OrdinateFormat.format(c.x, decimals: decimals)
        out += " "
        out += OrdinateFormat.format(c.y, decimals: decimals)
    }

    private func seq(_ cs: [Coordinate], _ out: inout String) {
        if cs.isEmpty { out += "EMPTY"; return }
        out += "("
        for (i, c) in cs.enumerated() {
            if i > 0 { out += ", " }
            pos(c, &out)
        }
        out += ")"
    }

    private func poly(_ rings: [[Coordinate]], _ out: inout String) {
        list(rings, &out) { seq($0, &$1) }
    }

    private func list<T>(_ items: [T], _ out: inout String, _ each: (T, inout String) -> Void) {
        if items.isEmpty { out += "EMPTY"; return }
        out += "("
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            each(item, &out)
        }
        out += ")"
    }
}
