import Foundation
import GeoCore
import Layers
import Store

/// How coordinates are written: which CRS, in which axis order, with how many decimals.
public struct CoordinateOutput: Sendable {
    public let crs: CRS
    let transformer: CoordinateTransformer
    /// True for formats that follow the CRS's axis order (OGC API Part 2) and a north-first CRS.
    public let swapAxes: Bool
    public let decimals: Int

    /// Output in `crs` from a layer stored in `storage`. `followAxisOrder` is true for OGC API
    /// responses (EPSG:4326 is lat/lon there, EPSG:6677 northing/easting) and false for CRS84/GeoJSON files.
    public init(crs: CRS, from storage: CRS, followAxisOrder: Bool, crs84: Bool) throws {
        self.crs = crs
        self.transformer = try CoordinateTransformer.between(storage, crs)
        self.swapAxes = followAxisOrder && !crs84 && crs.isNorthFirst
        self.decimals = crs.isGeographic ? 7 : 3
    }

    /// CRS84 (lon/lat) — RFC 7946 GeoJSON.
    public static func crs84(from storage: CRS) throws -> CoordinateOutput {
        try CoordinateOutput(crs: .wgs84, from: storage, followAxisOrder: false, crs84: true)
    }
}

/// Writes GeoJSON features straight into bytes: one PROJ call per page for all coordinates, no
/// intermediate dictionaries. Used by items pages and whole-layer downloads.
public struct GeoJSONWriter: Sendable {
    public let fields: [FieldDefinition]
    public let keyField: String
    public let output: CoordinateOutput

    public init(layer: LayerDefinition, fields: [FieldDefinition], output: CoordinateOutput) {
        self.fields = fields; self.keyField = layer.keyField; self.output = output
    }

    /// Appends the features as comma-separated GeoJSON Feature objects.
    public func writeFeatures(_ features: [StoredFeature], to out: inout [UInt8]) throws {
        let geometries = try features.map { try GeometryValue(wkb: $0.wkb) }
        var coords: [Coordinate] = []
        for g in geometries { g.forEachCoordinate { coords.append($0) } }
        var transformed = try output.transformer.transform(coords)[...]
        for (i, f) in features.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            write(f, geometry: geometries[i], coordinates: &transformed, to: &out)
        }
    }

    func write(_ f: StoredFeature, geometry: GeometryValue, coordinates: inout ArraySlice<Coordinate>, to out: inout [UInt8]) {
        out += Array(#"{"type":"Feature","id":"#.utf8)
        writeValue(f.properties[keyField] ?? .integer(f.fid), to: &out)
        out += Array(#","geometry":"#.utf8)
        writeGeometry(geometry, &coordinates, to: &out)
        out += Array(#","properties":{"#.utf8)
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.string(field.name, to: &out)
            out.append(UInt8(ascii: ":"))
            writeValue(f.properties[field.name] ?? .null, to: &out)
        }
        out += Array("}}".utf8)
    }

    func writeValue(_ v: FieldValue, to out: inout [UInt8]) {
        switch v {
        case .null: out += Array("null".utf8)
        case .text(let s), .date(let s), .datetime(let s): JSONWriter.string(s, to: &out)
        case .integer(let i): out += Array(String(i).utf8)
        case .real(let d): JSONWriter.number(d, to: &out)
        case .boolean(let b): out += Array((b ? "true" : "false").utf8)
        }
    }

    func writeGeometry(_ g: GeometryValue, _ c: inout ArraySlice<Coordinate>, to out: inout [UInt8]) {
        func position() {
            let p = c.removeFirst()
            let (a, b) = output.swapAxes ? (p.y, p.x) : (p.x, p.y)
            out.append(UInt8(ascii: "["))
            JSONWriter.coordinate(a, decimals: output.decimals, to: &out)
            out.append(UInt8(ascii: ","))
            JSONWriter.coordinate(b, decimals: output.decimals, to: &out)
            out.append(UInt8(ascii: "]"))
        }
        func list(_ n: Int) {
            out.append(UInt8(ascii: "["))
            for i in 0..<n { if i > 0 { out.append(UInt8(ascii: ",")) }; position() }
            out.append(UInt8(ascii: "]"))
        }
        func rings(_ rs: [[Coordinate]]) {
            out.append(UInt8(ascii: "["))
            for (i, r) in rs.enumerated() { if i > 0 { out.append(UInt8(ascii: ",")) }; list(r.count) }
            out.append(UInt8(ascii: "]"))
        }
        func head(_ type: String) { out += Array(#"{"type":""#.utf8); out += Array(type.utf8); out += Array(#"","coordinates":"#.utf8) }
        switch g {
        case .point(let p):
            if !p.isFinite { out += Array("null".utf8); _ = c.popFirst(); return }
            head("Point"); position()
        case .lineString(let ps): head("LineString"); list(ps.count)
        case .polygon(let rs): head("Polygon"); rings(rs)
        case .multiPoint(let ps): head("MultiPoint"); list(ps.count)
        case .multiLineString(let ls): head("MultiLineString"); rings(ls)
        case .multiPolygon(let polys):
            head("MultiPolygon")
            out.append(UInt8(ascii: "["))
            for (i, p) in polys.enumerated() { if i > 0 { out.append(UInt8(ascii: ",")) }; rings(p) }
            out.append(UInt8(ascii: "]"))
            out.append(UInt8(ascii: "}"))
            return
        case .geometryCollection(let gs):
            out += Array(#"{"type":"GeometryCollection","geometries":["#.utf8)
            for (i, x) in gs.enumerated() { if i > 0 { out.append(UInt8(ascii: ",")) }; writeGeometry(x, &c, to: &out) }
            out += Array("]}".utf8)
            return
        }
        out.append(UInt8(ascii: "}"))
    }
}
