import CGDAL
import Foundation
import GeoCore
import Layers

/// Reads any vector file GDAL/OGR opens (Shapefile with `.cpg`/`.prj`, GeoJSON with or without the
/// legacy `crs` member, GeoPackage, KML, GML, ...). Shapefile text is read as raw bytes and decoded
/// by Chizu, so the layer definition's declared encoding wins over a wrong `.cpg`, and undecodable
/// bytes are an error naming the feature and field instead of mojibake.
public enum OGRReader {
    /// GDAL's drivers, registered once per process.
    static let registered: Void = {
        GDALAllRegister()
        CPLSetErrorHandler(CPLQuietErrorHandler)
    }()

    /// Reads every feature of the first layer of `url`.
    public static func read(_ url: URL, source: SourceDefinition) throws -> SourceContents {
        try SourceContents.collect { header, chunk in try stream(url, source: source, header: header, chunk: chunk) }
    }

    /// Reads the first layer of `url` a chunk at a time: `header` once, then `chunk` per `chunkSize` features.
    public static func stream(_ url: URL, source: SourceDefinition, chunkSize: Int = 4096,
                              header: (SourceHeader) throws -> Void, chunk: (SourceChunk) throws -> Void) throws {
        _ = registered
        let file = url.lastPathComponent
        let isShapefile = ["shp", "dbf"].contains(url.pathExtension.lowercased())
        // Shapefile: ask for raw DBF bytes; Chizu decodes them (see `textEncoding`).
        var options: [String] = isShapefile ? ["ENCODING="] : []
        let ds: GDALDatasetH? = withCStringArray(&options) { opts in
            GDALOpenEx(url.path, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY), nil, opts, nil)
        }
        guard let ds else { throw SourceError(file: file, problem: "GDAL cannot open it: \(lastGDALError())") }
        defer { GDALClose(ds) }
        guard GDALDatasetGetLayerCount(ds) > 0, let layer = GDALDatasetGetLayer(ds, 0) else {
            throw SourceError(file: file, problem: "the file has no vector layer")
        }
        let encoding = isShapefile ? try shapefileEncoding(url, declared: source.encoding) : .utf8
        let crs = source.crs ?? layerCRS(layer)
        let defn = OGR_L_GetLayerDefn(layer)
        let fieldCount = Int(OGR_FD_GetFieldCount(defn))
        var names: [String] = []
        var types: [OGRFieldType] = []
        for i in 0..<fieldCount {
            let fd = OGR_FD_GetFieldDefn(defn, Int32(i))
            let raw = bytes(OGR_Fld_GetNameRef(fd))
            guard let name = try? TextDecoder.decode(raw, as: encoding).0 else {
                throw SourceError(file: file, problem: "field name #\(i + 1) is not valid \(encoding.rawValue)")
            }
            names.append(name)
            types.append(OGR_Fld_GetType(fd))
        }
        let columns = SourceColumns(names)
        let count = OGR_L_GetFeatureCount(layer, 0)
        try header(SourceHeader(crs: crs, columns: names, encodingUsed: encoding.rawValue, expectedCount: count >= 0 ? Int(count) : nil))
        var pending = SourceChunk()
        OGR_L_ResetReading(layer)
        var index = 0
        while let f = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(f) }
            index += 1
            let location = "feature \(index)"
            var values = [RawValue](repeating: .missing, count: fieldCount)
            var problem: String?
            for i in 0..<fieldCount {
                let idx = Int32(i)
                guard OGR_F_IsFieldSetAndNotNull(f, idx) != 0 else { continue }
                switch types[i] {
                case OFTInteger, OFTInteger64:
                    values[i] = .integer(OGR_F_GetFieldAsInteger64(f, idx))
                case OFTReal:
                    values[i] = .real(OGR_F_GetFieldAsDouble(f, idx))
                case OFTDate, OFTDateTime:
                    var y: Int32 = 0, m: Int32 = 0, d: Int32 = 0, h: Int32 = 0, mi: Int32 = 0, tz: Int32 = 0
                    var s: Float = 0
                    if OGR_F_GetFieldAsDateTimeEx(f, idx, &y, &m, &d, &h, &mi, &s, &tz) != 0 {
                        values[i] = types[i] == OFTDate ? .date(year: Int(y), month: Int(m), day: Int(d))
                            : .string(Self.isoDateTime(y, m, d, h, mi, s, tz))
                    } else {
                        values[i] = .string(String(cString: OGR_F_GetFieldAsString(f, idx)))
                    }
                default:
                    let raw = bytes(OGR_F_GetFieldAsString(f, idx))
                    do {
                        values[i] = .string(try TextDecoder.decode(raw, as: encoding).0)
                    } catch {
                        problem = "field \(names[i]): bytes at offset \(error.offset) are not valid \(error.encoding)"
                    }
                }
            }
            if let problem { pending.rowProblems.append((location, problem)); continue }
            var geometry = GeometryInput.missing
            if let g = OGR_F_GetGeometryRef(f) {
                let size = OGR_G_WkbSizeEx(g)
                var buffer = [UInt8](repeating: 0, count: size)
                let err = buffer.withUnsafeMutableBufferPointer { OGR_G_ExportToIsoWkb(g, wkbNDR, $0.baseAddress) }
                if err == OGRERR_NONE { geometry = .wkb(buffer) }
            }
            pending.features.append(SourceFeature(location: location, attributes: SourceAttributes(columns: columns, values: values, position: index),
                                                  geometry: geometry))
            if pending.features.count >= chunkSize { try chunk(pending); pending = SourceChunk() }
        }
        if !pending.isEmpty { try chunk(pending) }
    }

    /// ISO 8601 text of an OGR date-time; OGR's time-zone flag is 0/1 for unknown/local (no offset
    /// written: the layer's default applies), 100 for UTC, and 100 ± n for n quarter-hours.
    static func isoDateTime(_ y: Int32, _ m: Int32, _ d: Int32, _ h: Int32, _ mi: Int32, _ s: Float, _ tz: Int32) -> String {
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, h, mi, Int(s))
        if tz >= 100 {
            let minutes = Int(tz - 100) * 15
            text += String(format: "%@%02d:%02d", minutes < 0 ? "-" : "+", abs(minutes) / 60, abs(minutes) % 60)
        }
        return text
    }

    /// The DBF text encoding: the definition's when declared, else the `.cpg` file's, else detection.
    static func shapefileEncoding(_ url: URL, declared: TextEncoding) throws -> TextEncoding {
        if declared != .auto { return declared }
        let cpg = url.deletingPathExtension().appendingPathExtension("cpg")
        guard let text = try? String(contentsOf: cpg, encoding: .ascii) else { return .auto }
        switch text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() {
        case "UTF-8", "UTF8", "65001": return .utf8
        case "CP932", "932", "SJIS", "SHIFT_JIS", "SHIFT-JIS", "MS932", "WINDOWS-31J": return .cp932
        default: return .auto
        }
    }

    /// The EPSG code GDAL identifies for a layer's spatial reference (e.g. from a `.prj`).
    static func layerCRS(_ layer: OGRLayerH) -> CRS? {
        guard let srs = OGR_L_GetSpatialRef(layer) else { return nil }
        _ = OSRAutoIdentifyEPSG(srs)
        for target in [nil, "GEOGCS"] as [String?] {
            let name = target.map { strdup($0) } ?? nil
            defer { free(name) }
            if let auth = OSRGetAuthorityName(srs, name), String(cString: auth) == "EPSG",
               let code = OSRGetAuthorityCode(srs, name), let epsg = Int(String(cString: code)) {
                if target == nil { return CRS(epsg: epsg) }
                // Only a geographic CRS identifies by its GEOGCS alone.
                if OSRIsGeographic(srs) != 0 { return CRS(epsg: epsg == 4326 ? 4326 : epsg) }
            }
        }
        return nil
    }

    static func bytes(_ p: UnsafePointer<CChar>?) -> [UInt8] {
        guard let p else { return [] }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
    }

    static func lastGDALError() -> String {
        let msg = String(cString: CPLGetLastErrorMsg())
        return msg.isEmpty ? "unknown format or unreadable file" : msg
    }

    /// Calls `body` with a NULL-terminated C array of strings (GDAL's `char**` options).
    static func withCStringArray<R>(_ strings: inout [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        if strings.isEmpty { return body(nil) }
        let c = strings.map { strdup($0) }
        defer { c.forEach { free($0) } }
        var ptrs: [UnsafePointer<CChar>?] = c.map { UnsafePointer($0) } + [nil]
        return ptrs.withUnsafeMutableBufferPointer { body(UnsafePointer($0.baseAddress)) }
    }
}
