import Foundation
import Testing
import TestSupport
@testable import Layers
@testable import Store

/// Little-endian ISO WKB for test geometries.
enum TestWKB {
    static func point(_ x: Double, _ y: Double) -> [UInt8] { [1] + u32(1) + f64(x) + f64(y) }
    static func line(_ pts: [(Double, Double)]) -> [UInt8] {
        [1] + u32(2) + u32(UInt32(pts.count)) + pts.flatMap { f64($0.0) + f64($0.1) }
    }
    static func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
    static func f64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
}

struct StoreFixture {
    let dir: URL
    let store: SpatialStore
    let catalog: LayerCatalog
    var dbPath: String { store.path }

    init() throws {
        dir = try TestSupport.temporaryDirectory("store")
        catalog = try LayerCatalog.load(directory: TestSupport.repositoryRoot.appendingPathComponent("layers"))
        store = try SpatialStore(path: dir.appendingPathComponent("chizu.sqlite").path, create: true)
        try store.ensureLayers(catalog.layers)
    }

    func layer(_ id: String) -> LayerDefinition { catalog.layer(id)! }

    func manhole(_ id: String, _ x: Double, _ y: Double, depth: Double? = 2.5) -> FeatureRecord {
        FeatureRecord(properties: ["manhole_id": .text(id), "kind": .text("汚水"),
                                   "depth_m": depth.map(FieldValue.real) ?? .null],
                      wkb: TestWKB.point(x, y))
    }

    func source(_ name: String = "manholes.csv") -> RunSource {
        RunSource(files: [name], checksum: "abc", startedAt: Date())
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dir) }
}

@Suite struct SpatialStoreTests {
    @Test func newDatabaseHoldsEveryLayerAtVersionZero() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let infos = try f.store.layerInfos()
        #expect(infos.count == f.catalog.layers.count)
        let roads = try #require(infos.first { $0.id == "roads" })
        #expect(roads.srid == 6677 && roads.geometryType == "LINESTRING" && roads.version == 0)
        #expect(try f.store.integrityCheck() == "ok")
    }

    @Test func reopeningDoesNotNeedInitialisationAgain() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let again = try SpatialStore(path: f.dbPath)
        #expect(try again.layerInfos().count == f.catalog.layers.count)
    }

    @Test func openingAFileThatIsNotAChizuDatabaseSaysSo() throws {
        let dir = try TestSupport.temporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: StoreError.self) { try SpatialStore(path: dir.appendingPathComponent("none.sqlite").path) }
    }

    @Test func loadStoresFeaturesAndTracesThemToTheirRun() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let result = try f.store.load([f.manhole("M1", -47000, -66000), f.manhole("M2", -46000, -65000, depth: nil)],
                                      into: f.layer("manholes"), mode: .replace, source: f.source(),
                                      counts: RunCounts(read: 2))
        #expect(result.written == 2 && result.featureCount == 2 && result.layerVersion == 1)
        let m2 = try #require(try f.store.feature(of: f.layer("manholes"), key: "M2"))
        #expect(m2.properties["depth_m"] == .null)
        #expect(m2.properties["kind"] == .text("汚水"))
        #expect(m2.wkb == TestWKB.point(-46000, -65000))
        #expect(m2.runId == result.runId)
        let run = try #require(try f.store.ingestRuns(layer: "manholes").first)
        #expect(run.runId == result.runId && run.files == ["manholes.csv"] && run.status == "committed")
        #expect(run.counts.written == 2 && run.layerVersion == 1)
    }

    @Test func bboxQueryUsesTheSpatialIndex() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let points = (0..<100).map { f.manhole("M\($0)", -50000 + Double($0) * 100, -66000) }
        _ = try f.store.load(points, into: f.layer("manholes"), mode: .replace, source: f.source(), counts: RunCounts())
        let box = StorageBox(minX: -50000, minY: -66100, maxX: -49001, maxY: -65900)
        let found = try f.store.features(of: f.layer("manholes"), in: box, limit: 1000)
        #expect(found.count == 10)
        #expect(try f.store.count(of: f.layer("manholes"), in: box) == 10)
    }

    @Test func replaceSwapsTheWholeLayer() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        _ = try f.store.load([f.manhole("A", 0, 0), f.manhole("B", 1, 1)], into: layer, mode: .replace, source: f.source(), counts: RunCounts())
        let r = try f.store.load([f.manhole("C", 2, 2)], into: layer, mode: .replace, source: f.source(), counts: RunCounts())
        #expect(r.featureCount == 1 && r.layerVersion == 2)
        #expect(try f.store.feature(of: layer, key: "A") == nil)
    }

    /// The server builds an items page's ETag from this version: it must be the one the features
    /// were read at, even while replaces commit (odd versions have depth 1 m, even ones 2 m here).
    @Test func aSearchPageNamesTheVersionItsFeaturesWereReadAt() async throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        let contents: @Sendable (Int64) -> [FeatureRecord] = { v in (0..<300).map { f.manhole("M\($0)", Double($0), 0, depth: v % 2 == 0 ? 2 : 1) } }
        _ = try f.store.load(contents(1), into: layer, mode: .replace, source: f.source(), counts: RunCounts())
        let (firstRead, signal) = AsyncStream<Void>.makeStream()
        let writer = Task.detached {
            var it = firstRead.makeAsyncIterator()
            _ = await it.next()   // starts once the reader has read version 1
            for v in Int64(2)...21 { _ = try f.store.load(contents(v), into: layer, mode: .replace, source: f.source(), counts: RunCounts()) }
        }
        var versions = Set<Int64>()
        let deadline = ContinuousClock.now + .seconds(120)
        while !versions.contains(21) && ContinuousClock.now < deadline {
            let page = try f.store.search(layer, box: StorageBox(minX: 0, minY: -1, maxX: 299, maxY: 1), conditions: [], limit: 300, offset: 0)
            let version = try #require(page.layer?.version)
            versions.insert(version)
            signal.yield()
            #expect(page.features.count == 300)
            #expect(page.features.allSatisfy { $0.properties["depth_m"] == .real(version % 2 == 0 ? 2 : 1) }, "version \(version)")
            try await Task.sleep(for: .milliseconds(1))   // leaves the (small) cooperative pool to the writer
        }
        try await writer.value
        #expect(versions.count > 1)
    }

    @Test func failedLoadLeavesTheLayerExactlyAsItWas() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        _ = try f.store.load([f.manhole("A", 0, 0)], into: layer, mode: .replace, source: f.source(), counts: RunCounts())
        // The second feature repeats a key: the whole replace must roll back.
        #expect(throws: StoreError.self) {
            try f.store.load([f.manhole("X", 0, 0), f.manhole("X", 1, 1)], into: layer, mode: .replace,
                             source: f.source(), counts: RunCounts())
        }
        #expect(try f.store.count(of: layer) == 1)
        #expect(try f.store.feature(of: layer, key: "A") != nil)
        #expect(try f.store.layerInfo("manholes")?.version == 1)
    }

    @Test func wrongGeometryTypeIsRefused() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let line = FeatureRecord(properties: ["manhole_id": .text("L")], wkb: TestWKB.line([(0, 0), (1, 1)]))
        #expect(throws: StoreError.self) {
            try f.store.load([line], into: f.layer("manholes"), mode: .append, source: f.source(), counts: RunCounts())
        }
        #expect(try f.store.count(of: f.layer("manholes")) == 0)
    }

    @Test func wrongGeometryTypeInAReplaceKeepsTheOldVersion() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        _ = try f.store.load([f.manhole("A", 0, 0)], into: layer, mode: .replace, source: f.source(), counts: RunCounts())
        let line = FeatureRecord(properties: ["manhole_id": .text("L")], wkb: TestWKB.line([(0, 0), (1, 1)]))
        #expect(throws: StoreError.self) {
            try f.store.load([f.manhole("B", 1, 1), line], into: layer, mode: .replace, source: f.source(), counts: RunCounts())
        }
        #expect(try f.store.features(of: layer, limit: 10).compactMap { $0.properties["manhole_id"]?.description } == ["A"])
    }

    @Test func geometryConstraintReadsTheWKBHeaderInBothByteOrdersAndEWKBFlags() {
        let point = GeometryConstraint(code: 1), pointZ = GeometryConstraint(code: 1001), any = GeometryConstraint(code: 0)
        #expect(point.violation(TestWKB.point(1, 2)) == nil)
        #expect(point.violation([0, 0, 0, 0, 1] + Array(repeating: 0, count: 16)) == nil)          // big-endian point
        #expect(point.violation(TestWKB.line([(0, 0), (1, 1)])) == "LINESTRING violates the column's geometry type POINT")
        let ewkbZ: [UInt8] = [1, 1, 0, 0, 0x80] + Array(repeating: 0, count: 24)
        #expect(pointZ.violation(ewkbZ) == nil)
        #expect(point.violation(ewkbZ) == "POINT Z violates the column's geometry type POINT")
        #expect(pointZ.violation([1] + TestWKB.u32(1001) + Array(repeating: 0, count: 24)) == nil)  // ISO Z
        #expect(point.violation([]) == "no geometry (empty or unreadable WKB)")
        #expect(any.violation(TestWKB.line([(0, 0), (1, 1)])) == nil && any.violation([7, 1]) != nil)
    }

    @Test func featureWithoutGeometryIsRefusedAndNothingStored() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        let empty = FeatureRecord(properties: ["manhole_id": .text("E")], wkb: [])
        do {
            _ = try f.store.load([f.manhole("A", 0, 0), empty], into: layer, mode: .replace, source: f.source(), counts: RunCounts())
            Issue.record("a feature without geometry was stored")
        } catch let e as StoreError {
            #expect(e.description.contains("feature E") && e.description.contains("no geometry"))
        }
        #expect(try f.store.count(of: layer) == 0)
        #expect(try f.store.layerInfo("manholes")?.version == 0)
    }

    @Test func bulkLoadsLeaveSpatiaLitesTriggersAndInsertTimeAsTheyWere() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        func triggers() throws -> [String] {
            try f.store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'manholes' ORDER BY name")
            }
        }
        let before = try triggers()
        #expect(before.contains("ggi_manholes_geom") && before.contains("tmi_manholes_geom"))
        _ = try f.store.load([f.manhole("A", 0, 0)], into: layer, mode: .replace, source: f.source(), counts: RunCounts())
        #expect(try triggers() == before)
        _ = try f.store.load([f.manhole("B", 1, 1)], into: layer, mode: .append, source: f.source(), counts: RunCounts())
        #expect(try triggers() == before)
        let lastInsert = try f.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT last_insert FROM geometry_columns_time WHERE f_table_name = 'manholes'")
        }
        #expect(lastInsert?.hasPrefix("0000") == false)
        // The restored constraint trigger still guards writes made outside a bulk load.
        #expect(throws: (any Error).self) {
            try f.store.pool.write { db in
                try db.execute(sql: "INSERT INTO manholes (manhole_id, geom) VALUES ('X', GeomFromText('LINESTRING(0 0, 1 1)', 6677))")
            }
        }
    }

    @Test func replaceFillsSpatiaLitesIndexAsItWouldItself() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        func index() throws -> (valid: Int?, rows: Int?, boxes: [Double]) {
            try f.store.pool.read { db in
                (try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('manholes', 'geom')"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM idx_manholes_geom"),
                 try Double.fetchAll(db, sql: "SELECT xmin FROM idx_manholes_geom ORDER BY xmin"))
            }
        }
        _ = try f.store.load((0..<500).map { f.manhole("A\($0)", Double($0), Double($0) * 2) }, into: layer, mode: .replace,
                             source: f.source(), counts: RunCounts())
        #expect(try index().valid == 1 && index().rows == 500)
        _ = try f.store.load([f.manhole("B", -5, 7), f.manhole("C", 3, 4)], into: layer, mode: .replace, source: f.source(), counts: RunCounts())
        let after = try index()
        #expect(after.valid == 1 && after.rows == 2 && after.boxes == [-5, 3])
        #expect(try f.store.search(layer, box: StorageBox(minX: -6, minY: 6, maxX: -4, maxY: 8), conditions: [], limit: 10, offset: 0)
            .features.count == 1)
        // The delete timestamp the suspended trigger would have written.
        let lastDelete = try f.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT last_delete FROM geometry_columns_time WHERE f_table_name = 'manholes'")
        }
        #expect(lastDelete?.hasPrefix("0000") == false)
    }

    @Test func upsertUpdatesExistingKeysAndAddsNewOnes() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        _ = try f.store.load([f.manhole("A", 0, 0, depth: 1)], into: layer, mode: .append, source: f.source(), counts: RunCounts())
        _ = try f.store.load([f.manhole("A", 5, 5, depth: 3), f.manhole("B", 1, 1)], into: layer, mode: .upsert,
                             source: f.source(), counts: RunCounts())
        #expect(try f.store.count(of: layer) == 2)
        let a = try #require(try f.store.feature(of: layer, key: "A"))
        #expect(a.properties["depth_m"] == .real(3) && a.wkb == TestWKB.point(5, 5))
    }

    @Test func appendRefusesAKeyAlreadyStored() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        _ = try f.store.load([f.manhole("A", 0, 0)], into: layer, mode: .append, source: f.source(), counts: RunCounts())
        #expect(throws: StoreError.self) {
            try f.store.load([f.manhole("A", 1, 1)], into: layer, mode: .append, source: f.source(), counts: RunCounts())
        }
    }

    @Test func readingsAreIdempotentAndCorrectionsReplace() throws {
        let f = try StoreFixture(); defer { f.cleanUp() }
        let src = f.source("rain_readings.csv")
        try f.store.storeReadings([Reading(site: "G1", observedAt: 600, value: 1.5), Reading(site: "G1", observedAt: 1200, value: nil)],
                                  layer: "rain_gauges", source: src, counts: RunCounts())
        try f.store.storeReadings([Reading(site: "G1", observedAt: 600, value: 2.0)], layer: "rain_gauges", source: src, counts: RunCounts())
        let rs = try f.store.readings(layer: "rain_gauges", site: "G1", from: 0, to: 10_000)
        #expect(rs.map(\.value) == [2.0, nil])
        #expect(try f.store.readingCount(layer: "rain_gauges") == 2)
    }
}
