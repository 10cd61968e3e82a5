import Foundation
import Logging
import Testing
import TestSupport
import GeoCore
@testable import Ingest
@testable import Layers
@testable import Store

/// Real public files no one here wrote (../shared/data/real), loaded through YAML definitions alone.
@Suite struct RealDataTests {
    let real = TestSupport.sharedDirectory.appendingPathComponent("data/real")

    struct Loaded {
        let store: SpatialStore
        let catalog: LayerCatalog
        let reports: [IngestReport]
        let dir: URL
        func report(_ layer: String) -> IngestReport? { reports.first { $0.layer == layer && $0.kind == "features" } }
    }

    func loadAll(_ folder: String, layers ids: [String]) throws -> Loaded {
        let dir = try TestSupport.temporaryDirectory("real")
        let catalog = try LayerCatalog.load(directory: TestSupport.repositoryRoot.appendingPathComponent("layers/extra"))
        let store = try SpatialStore(path: dir.appendingPathComponent("real.sqlite").path, create: true)
        try store.ensureLayers(catalog.layers)
        let ingestor = Ingestor(store: store, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        var reports: [IngestReport] = []
        let base = real.appendingPathComponent(folder)
        let paths = (FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []).sorted()
        for id in ids {
            let layer = try #require(catalog.layer(id))
            let patterns = layer.source.files + (layer.readings?.source.files ?? [])
            let files = paths.filter { p in patterns.contains { FilePattern.matches((p as NSString).lastPathComponent, $0) } }
                .map { base.appendingPathComponent($0) }
                .sorted { !Ingestor.isReadingsFile($0, of: layer) && Ingestor.isReadingsFile($1, of: layer) }
            try #require(!files.isEmpty, "no file for \(id)")
            for f in files { reports += try ingestor.ingest(layer: layer, files: [f], options: IngestOptions(mode: Ingestor.isReadingsFile(f, of: layer) ? .upsert : .replace)) }
        }
        return Loaded(store: store, catalog: catalog, reports: reports, dir: dir)
    }

    @Test func yaizuCSVsLoadWithTheirJapaneseColumns() throws {
        guard FileManager.default.fileExists(atPath: real.path) else { Issue.record("../shared/data/real is missing"); return }
        let l = try loadAll("yaizu-opendata", layers: ["yaizu_aed", "yaizu_fire_hydrants", "yaizu_recycling_bases", "yaizu_sandbag_stations"])
        defer { try? FileManager.default.removeItem(at: l.dir) }
        #expect(l.reports.allSatisfy { $0.status == .committed && $0.rejected == 0 })
        #expect(l.report("yaizu_aed")?.written == 82)
        #expect(l.report("yaizu_fire_hydrants")?.written == 193)
        #expect(l.report("yaizu_recycling_bases")?.written == 16)       // the file starts with a BOM
        let aedLayer = try #require(l.catalog.layer("yaizu_aed"))
        let aed = try #require(try l.store.feature(of: aedLayer, key: "0000000001"))
        #expect(aed.properties["name"] == .text("市役所本館"))
        let sandbagLayer = try #require(l.catalog.layer("yaizu_sandbag_stations"))
        let sandbag = try #require(try l.store.features(of: sandbagLayer, limit: 1).first)
        #expect(sandbag.properties["how_to_use"]?.description.contains("\n") == true)   // a quoted multi-line cell
    }

    @Test func yaizuZoneVIIIShapefileAndGeoJSONLoad() throws {
        guard FileManager.default.fileExists(atPath: real.path) else { Issue.record("../shared/data/real is missing"); return }
        let l = try loadAll("yaizu-opendata", layers: ["yaizu_neighbourhoods", "yaizu_river_cameras"])
        defer { try? FileManager.default.removeItem(at: l.dir) }
        let areas = try #require(l.report("yaizu_neighbourhoods"))
        #expect(areas.status == .committed && areas.written == 35 && areas.sourceCRS == "EPSG:2450")
        #expect(areas.encoding == "cp932")                               // from the .cpg "Shift_JIS"
        let layer = try #require(l.catalog.layer("yaizu_neighbourhoods"))
        let names = try l.store.features(of: layer, limit: 100).compactMap { $0.properties["name"]?.description }
        #expect(names.contains("高新田自治会"))
        #expect(l.report("yaizu_river_cameras")?.written == 20)
    }

    @Test func railLinesAndStationsFromN02() throws {
        guard FileManager.default.fileExists(atPath: real.path) else { Issue.record("../shared/data/real is missing"); return }
        let l = try loadAll("n02-rail-isehara", layers: ["n02_railways", "n02_stations"])
        defer { try? FileManager.default.removeItem(at: l.dir) }
        #expect(l.report("n02_railways")?.written == 42)
        #expect(l.report("n02_stations")?.sourceCRS == "EPSG:6668")
        let stationLayer = try #require(l.catalog.layer("n02_stations"))
        let stations = try l.store.features(of: stationLayer, limit: 100)
        #expect(stations.contains { $0.properties["name"] == .text("伊勢原") })
    }

    @Test func amedasHourlyRainfallAsSitesAndReadings() throws {
        guard FileManager.default.fileExists(atPath: real.path) else { Issue.record("../shared/data/real is missing"); return }
        let l = try loadAll("amedas-kanagawa-hourly", layers: ["amedas"])
        defer { try? FileManager.default.removeItem(at: l.dir) }
        #expect(l.report("amedas")?.written == 23)
        let readings = l.reports.filter { $0.kind == "readings" }
        #expect(readings.count == 2 && readings.allSatisfy { $0.rejected == 0 })
        // The typhoon file repeats hours already in the season file: idempotent, no duplicates.
        #expect(try l.store.readingCount(layer: "amedas") == 23_403)
    }
}
