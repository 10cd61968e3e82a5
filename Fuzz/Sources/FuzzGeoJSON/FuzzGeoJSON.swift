import Foundation
import GeoCore

/// libFuzzer entry: any bytes as a GeoJSON geometry; what reads is written back out as GeoJSON and
/// WKT, and must read back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeoJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let g = try? Geometry(geoJSON: Data(bytes: data, count: size)) else { return 0 }
    _ = g.boundingBox
    if let text = try? g.geoJSON() {
        _ = try? Geometry(geoJSON: text)
    }
    _ = try? Geometry(wkt: g.wkt())
    return 0
}
