import Foundation
import Testing
import TestSupport
import GeoCore
@testable import Ingest
@testable import Layers
@testable import Store

/// Broken inputs, each with the exact error it must produce, and a check that the database is
/// exactly as it was before (same version, same features).
@Suite struct BadInputCorpusTests {
    /// A store whose manholes and roads already hold a good version.
    func seeded() throws -> IngestFixture {
        let f = try IngestFixture()
        _ = try f.ingest("manholes", [try f.write("manholes.csv", manholesCSV, cp932: true)])
        return f
    }

    func assertUnchanged(_ f: IngestFixture, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try f.store.layerInfo("manholes")?.version == 1, sourceLocation: sourceLocation)
        #expect(try f.store.count(of: f.layer("manholes")) == 3, sourceLocation: sourceLocation)
        #expect(try f.store.integrityCheck() == "ok", sourceLocation: sourceLocation)
    }

    /// The failure message of an ingest: a thrown file error, or the first problem of a rejected report.
    func failure(_ f: IngestFixture, _ layer: String, _ files: [URL]) -> String {
        do {
            let r = try f.ingest(layer, files)
            guard r.status == .rejected, let p = r.problems.first else { return "not rejected: \(r.text)" }
            return "\(p)"
        } catch { return "\(error)" }
    }

    @Test func cp932FileDeclaredUTF8IsRefusedWithTheLine() throws {
        let f = try seeded(); defer { f.cleanUp() }
        let yaml = try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("layers/manholes.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "encoding: cp932", with: "encoding: utf-8")
        let layer = try LayerCatalog.parse(yaml: yaml, file: "manholes.yaml")
        let url = try f.write("manholes.csv", manholesCSV, cp932: true)
        #expect(throws: SourceError.self) { try f.ingestor.ingest(layer: layer, files: [url], options: IngestOptions()) }
        do { _ = try f.ingestor.ingest(layer: layer, files: [url], options: IngestOptions()) } catch {
            #expect("\(error)" == "manholes.csv, line 1: bytes are not valid UTF-8; the file decodes as CP932: set source.encoding to cp932 (or auto)")
        }
        try assertUnchanged(f)
    }

    @Test func raggedRowIsNamed() throws {
        let f = try seeded(); defer { f.cleanUp() }
        let csv = manholesCSV.replacingOccurrences(of: "MH-3,合流,-65900.5,-46900.25,31.0,///,伊勢原処理区", with: "MH-3,合流,-65900.5,-46900.25,31.0,///,伊勢原処理区,extra,cells")
        #expect(failure(f, "manholes", [try f.write("manholes.csv", csv, cp932: true)]) == "manholes.csv, line 4: 9 cells but the header has 7 columns")
        try assertUnchanged(f)
    }

    @Test func nonNumericCoordinateIsNamed() throws {
        let f = try seeded(); defer { f.cleanUp() }
        let csv = manholesCSV.replacingOccurrences(of: "-66000.000", with: "北")
        #expect(failure(f, "manholes", [try f.write("manholes.csv", csv, cp932: true)]) == "manholes.csv, line 3: coordinates X=\"北\", Y=\"-47000.000\" are not numbers")
        try assertUnchanged(f)
    }

    @Test func nanCoordinateIsRefused() throws {
        let f = try seeded(); defer { f.cleanUp() }
        let csv = manholesCSV.replacingOccurrences(of: "-66000.000", with: "NaN")
        #expect(failure(f, "manholes", [try f.write("manholes.csv", csv, cp932: true)]) == "manholes.csv, line 3, field geometry: coordinate (-47000.0, nan) is NaN or infinite")
        try assertUnchanged(f)
    }

    @Test func missingRequiredValueIsNamed() throws {
        let f = try seeded(); defer { f.cleanUp() }
        let csv = manholesCSV.replacingOccurrences(of: "MH-2,", with: ",")
        #expect(failure(f, "manholes", [try f.write("manholes.csv", csv, cp932: true)]) == "manholes.csv, line 3, field マンホール番号 (manhole_id): is required but missing")
        try assertUnchanged(f)
    }

    @Test func emptyFileIsRefused() throws {
        let f = try seeded(); defer { f.cleanUp() }
        #expect(failure(f, "manholes", [try f.write("manholes.csv", "")]) == "manholes.csv: the file is empty (no header row)")
        try assertUnchanged(f)
    }

    @Test func aFileOfZeroFeaturesReplacesNothingSilently() throws {
        let f = try seeded(); defer { f.cleanUp() }
        let header = manholesCSV.components(separatedBy: "\r\n")[0] + "\r\n"
        let r = try f.ingest("manholes", [try f.write("manholes.csv", header, cp932: true)], IngestOptions(mode: .append))
        #expect(r.status == .committed && r.read == 0 && r.written == 0)
        #expect(try f.store.count(of: f.layer("manholes")) == 3)
    }

    @Test func randomBytesAreRefusedPromptly() throws {
        let f = try seeded(); defer { f.cleanUp() }
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 100 * 1024 * 1024)
        for i in stride(from: 0, to: bytes.count, by: 8) {
            withUnsafeBytes(of: generator.next() as UInt64) { raw in for k in 0..<8 { bytes[i + k] = raw[k] } }
        }
        let url = f.dir.appendingPathComponent("manholes.csv")
        try Data(bytes).write(to: url)
        bytes = []
        let started = Date()
        let message = failure(f, "manholes", [url])
        #expect(message.hasPrefix("manholes.csv, byte "))
        #expect(message.hasSuffix("binary data, not delimited text (CSV must be CP932 or UTF-8)"))
        #expect(Date().timeIntervalSince(started) < 5)
        try assertUnchanged(f)
    }

    // MARK: Shapefiles (made with ogr2ogr from GeoJSON, then broken)

    /// Writes a valid roads.shp set (EPSG:6677, CP932) with ogr2ogr; nil when gdal-bin is missing.
    func roadsShapefile(_ f: IngestFixture) throws -> URL? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ogr2ogr") else { return nil }
        let json = """
        {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::6677"}},"features":[
         {"type":"Feature","properties":{"区間番号":"S1","路線番号":"1-001","路線名":"伊勢原大山線","道路種別":"1級","幅員":9.5,"延長":100.0,"認定日":"H27.4.1"},
          "geometry":{"type":"LineString","coordinates":[[-47083,-66116],[-47000,-66060]]}}]}
        """
        let src = try f.write("roads_src.geojson", json)
        let out = f.dir.appendingPathComponent("roads.shp")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ogr2ogr")
        p.arguments = ["-f", "ESRI Shapefile", "-lco", "ENCODING=CP932", out.path, src.path]
        p.standardError = FileHandle.nullDevice
        try p.run(); p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        return out
    }

    @Test func goodShapefileLoadsWithJapaneseText() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        guard let shp = try roadsShapefile(f) else { Issue.record("ogr2ogr is not installed (make setup)"); return }
        let r = try f.ingest("roads", [shp])
        #expect(r.status == .committed && r.written == 1 && r.sourceCRS == "EPSG:6677" && r.encoding == "cp932")
        #expect(try f.store.feature(of: f.layer("roads"), key: "S1")?.properties["route_name"] == .text("伊勢原大山線"))
        #expect(try f.store.feature(of: f.layer("roads"), key: "S1")?.properties["certified_on"] == .date("2015-04-01"))
    }

    @Test func truncatedShpIsRefused() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        guard let shp = try roadsShapefile(f) else { Issue.record("ogr2ogr is not installed (make setup)"); return }
        let data = try Data(contentsOf: shp)
        try data.prefix(120).write(to: shp)
        let message = failure(f, "roads", [shp])
        #expect(message.hasPrefix("roads.shp"))
        #expect(try f.store.count(of: f.layer("roads")) == 0)
    }

    @Test func missingDbfIsRefused() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        guard let shp = try roadsShapefile(f) else { Issue.record("ogr2ogr is not installed (make setup)"); return }
        try FileManager.default.removeItem(at: shp.deletingPathExtension().appendingPathExtension("dbf"))
        #expect(failure(f, "roads", [shp]).hasPrefix("roads.shp: "))
        #expect(try f.store.count(of: f.layer("roads")) == 0)
    }

    @Test func missingPrjWithoutACRSInTheDefinitionIsRefused() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        guard let shp = try roadsShapefile(f) else { Issue.record("ogr2ogr is not installed (make setup)"); return }
        try FileManager.default.removeItem(at: shp.deletingPathExtension().appendingPathExtension("prj"))
        #expect(failure(f, "roads", [shp]) == "roads.shp: no CRS: the file has no .prj/crs and the layer definition gives no source.crs")
        #expect(try f.store.count(of: f.layer("roads")) == 0)
    }
}
