import GeoCore
import Ingest
import Layers

/// libFuzzer entry: the first byte picks how the file is declared (encoding, delimiter, geometry
/// columns), the rest is the file read as a CSV source.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let pick = Int(bytes[0])
    let encodings: [TextEncoding] = [.auto, .utf8, .cp932]
    let geometries: [CSVGeometryColumns?] = [.latLon(lat: "lat", lon: "lon"), .northingEasting(northing: "X", easting: "Y"), .wkt("wkt"), nil]
    let delimiters: [Character] = [",", "\t"]
    let source = SourceDefinition(files: ["*.csv"], format: .csv, encoding: encodings[pick % 3], crs: .wgs84,
                                  geometry: geometries[(pick / 3) % 4], delimiter: delimiters[(pick / 12) % 2],
                                  missingValues: ["", "-", "///", "欠測"])
    _ = try? CSVReader.read(bytes: Array(bytes.dropFirst()), file: "fuzz.csv", source: source)
    return 0
}
