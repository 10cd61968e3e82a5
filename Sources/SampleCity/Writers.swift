import CGDAL
import Foundation
import GeoCore
#if canImport(Glibc)
import Glibc
#endif

/// Why the sample city could not be written.
public struct SampleCityError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// A Shapefile written through GDAL/OGR, with the DBF in a chosen encoding and a fixed DBF date so
/// the same seed gives the same bytes. Owns the OGR data source; `close()` flushes and frees it.
final class ShapefileWriter {
    enum FieldKind { case text(Int), integer, real(Int, Int) }
    private var ds: GDALDatasetH?
    private let layer: OGRLayerH
    private let defn: OGRFeatureDefnH
    private var fieldIndex: [String: Int32] = [:]
    let path: String

    init(path: String, name: String, epsg: Int32, type: OGRwkbGeometryType, fields: [(String, FieldKind)]) throws {
        GDALAllRegister()
        self.path = path
        try? FileManager.default.removeItem(atPath: path)
        guard let driver = GDALGetDriverByName("ESRI Shapefile"),
              let ds = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, nil) else {
            throw SampleCityError(message: "\(path): GDAL cannot create a Shapefile: \(String(cString: CPLGetLastErrorMsg()))")
        }
        self.ds = ds
        let srs = OSRNewSpatialReference(nil)
        defer { OSRDestroySpatialReference(srs) }
        OSRImportFromEPSG(srs, epsg)
        let options = ["ENCODING=CP932", "DBF_DATE_LAST_UPDATE=2026-11-20"]
        let cstrs = options.map { strdup($0) }
        defer { cstrs.forEach { free($0) } }
        var ptrs: [UnsafeMutablePointer<CChar>?] = cstrs + [nil]
        guard let layer = ptrs.withUnsafeMutableBufferPointer({ GDALDatasetCreateLayer(ds, name, srs, type, $0.baseAddress) }) else {
            GDALClose(ds)
            throw SampleCityError(message: "\(path): cannot create the layer: \(String(cString: CPLGetLastErrorMsg()))")
        }
        self.layer = layer
        for (fname, kind) in fields {
            let fd: OGRFieldDefnH
            switch kind {
            case .text(let w): fd = OGR_Fld_Create(fname, OFTString); OGR_Fld_SetWidth(fd, Int32(w))
            case .integer: fd = OGR_Fld_Create(fname, OFTInteger); OGR_Fld_SetWidth(fd, 9)
            case .real(let w, let p): fd = OGR_Fld_Create(fname, OFTReal); OGR_Fld_SetWidth(fd, Int32(w)); OGR_Fld_SetPrecision(fd, Int32(p))
            }
            defer { OGR_Fld_Destroy(fd) }
            guard OGR_L_CreateField(layer, fd, 1) == OGRERR_NONE else {
                throw SampleCityError(message: "\(path): cannot create field \(fname)")
            }
        }
        defn = OGR_L_GetLayerDefn(layer)
        for (i, f) in fields.enumerated() { fieldIndex[f.0] = Int32(i) }
    }

    enum Value { case text(String), integer(Int), real(Double) }

    func add(_ values: [String: Value], wkb: [UInt8]) throws {
        let f = OGR_F_Create(defn)
        defer { OGR_F_Destroy(f) }
        for (name, v) in values {
            guard let i = fieldIndex[name] else { continue }
            switch v {
            case .text(let s): OGR_F_SetFieldString(f, i, s)
            case .integer(let n): OGR_F_SetFieldInteger(f, i, Int32(n))
            case .real(let d): OGR_F_SetFieldDouble(f, i, d)
            }
        }
        var g: OGRGeometryH?
        var bytes = wkb
        let err = bytes.withUnsafeMutableBytes { OGR_G_CreateFromWkb($0.baseAddress, nil, &g, Int32(wkb.count)) }
        guard err == OGRERR_NONE, let g else { throw SampleCityError(message: "\(path): bad geometry") }
        defer { OGR_G_DestroyGeometry(g) }
        OGR_F_SetGeometry(f, g)
        guard OGR_L_CreateFeature(layer, f) == OGRERR_NONE else {
            throw SampleCityError(message: "\(path): cannot write a feature: \(String(cString: CPLGetLastErrorMsg()))")
        }
    }

    func close() {
        if let ds { GDALClose(ds) }
        ds = nil
    }

    deinit { close() }
}

/// Text output helpers.
enum TextOut {
    /// UTF-8 text as CP932 bytes (through the C library's iconv).
    static func cp932(_ text: String) throws -> [UInt8] {
        let cd = iconv_open("CP932", "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { throw SampleCityError(message: "iconv has no CP932") }
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        let capacity = output.count
        var produced = 0
        var failed = false
        input.withUnsafeMutableBufferPointer { ib in
            output.withUnsafeMutableBufferPointer { ob in
                var ip: UnsafeMutablePointer<CChar>? = ib.baseAddress, op: UnsafeMutablePointer<CChar>? = ob.baseAddress
                var il = ib.count, ol = capacity
                if iconv(cd, &ip, &il, &op, &ol) == -1 { failed = true }
                produced = capacity - ol
            }
        }
        if failed { throw SampleCityError(message: "text has characters CP932 cannot hold") }
        return output[0..<produced].map { UInt8(bitPattern: $0) }
    }

    /// An RFC 4180 cell.
    static func cell(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func fixed(_ d: Double, _ places: Int) -> String { String(format: "%.\(places)f", d) }
}

/// Little-endian ISO WKB for the generator's simple shapes.
enum WKBOut {
    static func point(_ c: Coordinate) -> [UInt8] { [1] + u32(1) + f64(c.x) + f64(c.y) }
    static func line(_ cs: [Coordinate]) -> [UInt8] { [1] + u32(2) + u32(UInt32(cs.count)) + cs.flatMap { f64($0.x) + f64($0.y) } }
    static func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
    static func f64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
}
