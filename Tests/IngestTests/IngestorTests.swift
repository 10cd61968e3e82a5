import Foundation
import Logging
import Testing
import TestSupport
import GeoCore
@testable import Ingest
@testable import Layers
@testable import Store

/// A fresh database with the shipped layer definitions, and a folder for source files.
struct IngestFixture {
    let dir: URL
    let store: SpatialStore
    let catalog: LayerCatalog
    let ingestor: Ingestor

    init() throws {
        dir = try TestSupport.temporaryDirectory("ingest")
        catalog = try LayerCatalog.load(directory: TestSupport.repositoryRoot.appendingPathComponent("layers"))
        store = try SpatialStore(path: dir.appendingPathComponent("chizu.sqlite").path, create: true)
        try store.ensureLayers(catalog.layers)
        ingestor = Ingestor(store: store, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func layer(_ id: String) -> LayerDefinition { catalog.layer(id)! }

    /// Writes text to a file in the given encoding (CP932 through iconv, like a municipal export).
    func write(_ name: String, _ text: String, cp932: Bool = false, bom: Bool = false) throws -> URL {
        let url = dir.appendingPathComponent(name)
        var bytes = Array(text.utf8)
        if cp932 { bytes = try Self.toCP932(text) }
        if bom { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        try Data(bytes).write(to: url)
        return url
    }

    static func toCP932(_ text: String) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "CP932"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8)); try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return [UInt8](data)
    }

    func ingest(_ layer: String, _ files: [URL], _ options: IngestOptions = IngestOptions()) throws -> IngestReport {
        try #require(try ingestor.ingest(layer: self.layer(layer), files: files, options: options).first)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dir) }
}

let manholesCSV = """
マンホール番号,種別,X,Y,地盤高,深さ,処理区\r
MH-1,汚水,-66116.000,-47083.000,30.5,2.1,伊勢原処理区\r
MH-2,雨水,-66000.000,-47000.000,-,,"鈴川処理区, 東"\r
MH-3,合流,-65900.5,-46900.25,31.0,///,伊勢原処理区\r

"""

@Suite struct IngestorTests {
    @Test func cp932CSVWithSurveyNorthingEastingLoads() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let url = try f.write("manholes.csv", manholesCSV, cp932: true)
        let r = try f.ingest("manholes", [url])
        #expect(r.status == .committed && r.read == 3 && r.written == 3 && r.rejected == 0)
        #expect(r.encoding == "cp932")
        let mh1 = try #require(try f.store.feature(of: f.layer("manholes"), key: "MH-1"))
        #expect(try Geometry(wkb: mh1.wkb).coordinates == [Coordinate(x: -47083, y: -66116)])
        let mh2 = try #require(try f.store.feature(of: f.layer("manholes"), key: "MH-2"))
        #expect(mh2.properties["ground_height_m"] == .null)       // "-" is missing, never 0
        #expect(mh2.properties["district"] == .text("鈴川処理区, 東"))
        #expect(try f.store.feature(of: f.layer("manholes"), key: "MH-3")?.properties["depth_m"] == .null)
    }

    @Test func swappedNorthingEastingIsRejectedAndSaysSo() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let swapped = manholesCSV.replacingOccurrences(of: "-66116.000,-47083.000", with: "-47083.000,-66116.000")
        let r = try f.ingest("manholes", [try f.write("manholes.csv", swapped, cp932: true)])
        #expect(r.status == .rejected && r.written == 0)
        let p = try #require(r.problems.first)
        #expect(p.kind == "swapped-axes" && p.location == "line 2" && p.message.contains("northing and easting"))
        #expect(try f.store.count(of: f.layer("manholes")) == 0)
    }

    @Test func swappedLatLonIsDetected() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let csv = "管理番号,設置場所,緯度,経度,設置日,クラウド録画,機種,撮影方向\nC-01,駅前,139.3134,35.4026,R2.4.1,有,X1,北\n"
        let r = try f.ingest("cameras", [try f.write("cameras.csv", csv, cp932: true)])
        #expect(r.problems.first?.kind == "swapped-axes")
        #expect(r.problems.first?.message.contains("latitude and longitude") == true)
    }

    @Test func badValuesAreReportedWithLineAndFieldAndNothingIsStored() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        _ = try f.ingest("manholes", [try f.write("manholes.csv", manholesCSV, cp932: true)])
        let bad = manholesCSV.replacingOccurrences(of: "30.5", with: "三十").replacingOccurrences(of: "雨水", with: "下水")
        let r = try f.ingest("manholes", [try f.write("manholes.csv", bad, cp932: true)])
        #expect(r.status == .rejected && r.rejected == 2)
        #expect(r.problems.contains { $0.location == "line 2" && $0.field?.contains("地盤高") == true && $0.kind == "bad-number" })
        #expect(r.problems.contains { $0.location == "line 3" && $0.kind == "value-not-allowed" })
        // The earlier contents are untouched, and the refused attempt is in the lineage.
        #expect(try f.store.count(of: f.layer("manholes")) == 3)
        #expect(try f.store.layerInfo("manholes")?.version == 1)
        #expect(try f.store.ingestRuns(layer: "manholes").first?.status == "rejected")
    }

    @Test func skipFeatureStoresTheGoodOnes() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let bad = manholesCSV.replacingOccurrences(of: "30.5", with: "三十")
        let r = try f.ingest("manholes", [try f.write("manholes.csv", bad, cp932: true)], IngestOptions(onError: .skipFeature))
        #expect(r.status == .committed && r.written == 2 && r.rejected == 1)
    }

    @Test func dryRunStoresNothing() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let r = try f.ingest("manholes", [try f.write("manholes.csv", manholesCSV, cp932: true)], IngestOptions(dryRun: true))
        #expect(r.status == .dryRun && r.written == 3)
        #expect(try f.store.count(of: f.layer("manholes")) == 0)
    }

    @Test func duplicateKeysInAFileAreNamed() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let dup = manholesCSV.replacingOccurrences(of: "MH-3", with: "MH-1")
        let r = try f.ingest("manholes", [try f.write("manholes.csv", dup, cp932: true)])
        #expect(r.problems.first?.kind == "duplicate-key" && r.problems.first?.location == "line 4")
    }

    @Test func undecodableBytesNameTheLine() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        var bytes = try IngestFixture.toCP932(manholesCSV)
        let third = bytes.indices.filter { bytes[$0] == 0x0A }[2]   // start of line 4
        bytes.insert(contentsOf: [0x81], at: third + 1)            // a lone lead byte
        bytes.insert(contentsOf: [0x0D], at: third + 2)
        let url = f.dir.appendingPathComponent("manholes.csv")
        try Data(bytes).write(to: url)
        let r = try f.ingest("manholes", [url])
        #expect(r.status == .rejected)
        #expect(r.problems.contains { $0.location == "line 4" && $0.kind == "unreadable-row" })
    }

    @Test func missingRequiredColumnIsAFileError() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let csv = manholesCSV.replacingOccurrences(of: "マンホール番号", with: "番号")
        #expect(throws: SourceError.self) { try f.ingest("manholes", [try f.write("manholes.csv", csv, cp932: true)]) }
    }

    @Test func geoJSONWithLegacyCRSMemberIsReprojected() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let json = """
        {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::6677"}},
         "features":[{"type":"Feature","properties":{"施設ID":"DEPOT","種別":"車庫","名称":"清掃車庫"},
                      "geometry":{"type":"Point","coordinates":[-47083.0,-66116.0]}}]}
        """
        let r = try f.ingest("facilities", [try f.write("facilities.geojson", json)])
        #expect(r.status == .committed && r.sourceCRS == "EPSG:6677")
        let depot = try #require(try f.store.feature(of: f.layer("facilities"), key: "DEPOT"))
        let c = try #require(try Geometry(wkb: depot.wkb).coordinates.first)
        #expect(abs(c.x + 47083) < 1e-6 && abs(c.y + 66116) < 1e-6)
    }

    @Test func rfc7946GeoJSONIsLonLat() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let json = """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"施設ID":"F","種別":"資源化施設"},
          "geometry":{"type":"Point","coordinates":[139.3144,35.3964]}}]}
        """
        let r = try f.ingest("facilities", [try f.write("facilities.geojson", json)])
        #expect(r.status == .committed)
        let facility = try #require(try f.store.feature(of: f.layer("facilities"), key: "F"))
        let c = try #require(try Geometry(wkb: facility.wkb).coordinates.first)
        // cs2cs EPSG:4326 EPSG:6677 gives northing -66841.137, easting -47138.383 for this point.
        #expect(abs(c.x - -47138.383) < 0.001 && abs(c.y - -66841.137) < 0.001)
    }

    @Test func selfIntersectingGeometryIsRepairedAndReported() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        // A parks layer defined only by YAML, with a bow-tie polygon in WKT.
        let yaml = """
        id: parks
        title: {ja: 公園, en: Parks}
        geometry: multipolygon
        access: public
        department: civil_engineering
        key: park_id
        extent: [139, 35, 140, 36]
        source: {files: [parks.csv], format: csv, crs: EPSG:6677, geometry: {wkt: WKT}}
        fields:
          - {name: park_id, source: 番号, type: text, required: true}
        """
        let layer = try LayerCatalog.parse(yaml: yaml, file: "parks.yaml")
        try f.store.ensureLayers([layer])
        let csv = "番号,WKT\nP1,\"POLYGON((-47000 -66000,-46900 -65900,-46900 -66000,-47000 -65900,-47000 -66000))\"\n"
        let r = try #require(try f.ingestor.ingest(layer: layer, files: [try f.write("parks.csv", csv)], options: IngestOptions()).first)
        #expect(r.status == .committed && r.repaired == 1)
        #expect(r.problems.first?.kind == "repaired-geometry" && r.problems.first?.message.contains("Self-intersection") == true)
        let p1 = try #require(try f.store.feature(of: layer, key: "P1"))
        let stored = try Geometry(wkb: p1.wkb)
        let valid = try stored.isValid
        #expect(valid && stored.geometryType == .multiPolygon)
        #expect(abs(try stored.area - 5000) < 1e-6)
    }

    @Test func readingsLoadIdempotentlyWithMissingValuesKeptMissing() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let sites = "観測所ID,観測所名,緯度,経度,設置場所,標高\nG1,伊勢原市役所,35.3964,139.3144,市役所屋上,30\n"
        _ = try f.ingest("rain_gauges", [try f.write("rain_gauges.csv", sites, bom: true)])
        let readings = "観測所ID,観測日時,10分間雨量\nG1,2026-11-20 00:10,0.5\nG1,2026-11-20 00:20,///\nG1,2026-11-20 00:30,欠測\nG1,2026-11-20 00:40,1.0\n"
        let url = try f.write("rain_readings.csv", readings)
        let r = try f.ingest("rain_gauges", [url], IngestOptions(mode: .upsert))
        #expect(r.kind == "readings" && r.written == 4 && r.status == .committed)
        _ = try f.ingest("rain_gauges", [url], IngestOptions(mode: .upsert))
        let stored = try f.store.readings(layer: "rain_gauges", site: "G1", from: 0, to: Int64.max)
        #expect(stored.map(\.value) == [0.5, nil, nil, 1.0])
        // 2026-11-20 00:10 JST is 2026-11-19 15:10 UTC.
        #expect(stored.first?.observedAt == 1_795_101_000)
    }

    @Test func readingsForUnknownSitesOrAbsurdValuesAreProblems() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        _ = try f.ingest("rain_gauges", [try f.write("rain_gauges.csv", "観測所ID,観測所名,緯度,経度\nG1,市役所,35.3964,139.3144\n")])
        let readings = "観測所ID,観測日時,10分間雨量\nG9,2026-11-20 00:10,0.5\nG1,2026-11-20 00:20,-3\nG1,2099-01-01 00:00,1\n"
        let r = try f.ingest("rain_gauges", [try f.write("rain_readings.csv", readings)])
        #expect(r.status == .rejected)
        #expect(Set(r.problems.map(\.kind)) == ["unknown-site", "absurd-value", "future-time"])
    }
}

/// Files larger than one chunk go through the reader/writer pipeline in pieces; the transaction is still one.
@Suite struct StreamingIngestTests {
    static func manholes(_ n: Int, badAt: Int? = nil, prefix: String = "MH") -> String {
        var lines = ["マンホール番号,種別,X,Y,地盤高,深さ,処理区"]
        for i in 1...n {
            let x = i == badAt ? "北" : String(format: "%.3f", -66116.0 + Double(i % 500))
            lines.append("\(prefix)-\(i),汚水,\(x),\(-47083.0 + Double(i / 500)),30.5,2.1,伊勢原処理区")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    @Test func aBadRowInALateChunkRejectsTheWholeFileAndKeepsTheOldVersion() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let old = try f.ingest("manholes", [try f.write("old.csv", Self.manholes(10, prefix: "OLD"), cp932: true)])
        #expect(old.status == .committed)
        let report = try f.ingest("manholes", [try f.write("big.csv", Self.manholes(10_000, badAt: 9_500), cp932: true)])
        #expect(report.status == .rejected && report.read == 10_000 && report.rejected == 1 && report.written == 0)
        #expect(report.problems.first?.location == "line 9501")
        #expect(try f.store.count(of: f.layer("manholes")) == 10)
        #expect(try f.store.layerInfo("manholes")?.version == old.layerVersion)
        #expect(try f.store.integrityCheck() == "ok")
    }

    @Test func skipFeatureWritesEveryGoodRowOfEveryChunk() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let report = try f.ingest("manholes", [try f.write("big.csv", Self.manholes(10_000, badAt: 9_500), cp932: true)],
                                  IngestOptions(onError: .skipFeature))
        #expect(report.status == .committed && report.written == 9_999 && report.rejected == 1)
        #expect(try f.store.count(of: f.layer("manholes")) == 9_999)
        let run = try #require(try f.store.ingestRuns(layer: "manholes").first)
        #expect(run.counts == RunCounts(read: 10_000, written: 9_999, repaired: 0, rejected: 1) && run.status == "committed")
        #expect(run.report?.contains("line 9501") == true)
    }

    @Test func aDuplicateKeyAgainstTheStoredLayerStopsTheReaderAndRollsBack() throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        _ = try f.ingest("manholes", [try f.write("a.csv", Self.manholes(5), cp932: true)])
        // Appending 10,000 rows whose first keys are already stored: the writer fails on the first chunk.
        #expect(throws: StoreError.self) {
            try f.ingest("manholes", [try f.write("b.csv", Self.manholes(10_000), cp932: true)], IngestOptions(mode: .append))
        }
        #expect(try f.store.count(of: f.layer("manholes")) == 5)
    }
}
