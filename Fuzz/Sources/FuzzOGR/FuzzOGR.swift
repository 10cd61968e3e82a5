import CGDAL
import Foundation
import GeoCore
import Ingest
import Layers

/// libFuzzer entry: any bytes as a GeoJSON file read the way ingest reads it (GDAL/OGR through
/// `OGRReader`), from GDAL's in-memory file system; every geometry read is parsed as WKB.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOGR(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = "/vsimem/fuzz.geojson"
    let buffer = UnsafeMutablePointer(mutating: data)
    guard let handle = VSIFileFromMemBuffer(path, buffer, vsi_l_offset(size), 0) else { return 0 }
    _ = VSIFCloseL(handle)
    defer { _ = VSIUnlink(path) }
    let source = SourceDefinition(files: ["*.geojson"], format: .ogr)
    guard let contents = try? OGRReader.read(URL(fileURLWithPath: path), source: source) else { return 0 }
    for feature in contents.features {
        if case .wkb(let bytes) = feature.geometry { _ = try? Geometry(wkb: bytes) }
    }
    return 0
}
