import Foundation
import Testing
import TestSupport
@testable import Store

func run(_ tool: String, _ args: [String]) throws -> String? { try TestSupport.run(tool, args) }

@Suite struct IndependentToolsTests {
    func populatedStore() throws -> StoreFixture {
        let f = try StoreFixture()
        _ = try f.store.load((0..<7).map { f.manhole("M\($0)", -47000 + Double($0), -66000) }, into: f.layer("manholes"),
                             mode: .replace, source: f.source(), counts: RunCounts())
        let road = FeatureRecord(properties: ["segment_id": .text("S1"), "route_number": .text("1-001"),
                                              "road_class": .text("1級"), "route_name": .text("伊勢原大山線")],
                                 wkb: TestWKB.line([(-47000, -66000), (-46900, -65950)]))
        _ = try f.store.load([road], into: f.layer("roads"), mode: .replace, source: f.source("roads.shp"), counts: RunCounts())
        try f.store.checkpoint()
        return f
    }

    @Test func ogrinfoSeesEachLayerWithTypeSRIDAndCount() throws {
        let f = try populatedStore(); defer { f.cleanUp() }
        guard let out = try run("ogrinfo", ["-ro", "-so", "-al", f.dbPath]) else {
            Issue.record("ogrinfo is not installed (make setup installs gdal-bin)"); return
        }
        #expect(out.contains("Layer name: manholes"))
        #expect(out.contains("Geometry: Point"))
        #expect(out.contains("Feature Count: 7"))
        #expect(out.contains("Layer name: roads"))
        #expect(out.contains("Geometry: Line String"))
        #expect(out.contains("JGD2011 / Japan Plane Rectangular CS IX"))
        #expect(out.contains("SpatiaLite") || out.contains("SQLite"))
        let roads = try #require(try run("ogrinfo", ["-ro", f.dbPath, "roads", "-where", "segment_id='S1'"]))
        #expect(roads.contains("伊勢原大山線"))
    }

    @Test func spatialiteToolSeesGeometryColumnsAndIndex() throws {
        let f = try populatedStore(); defer { f.cleanUp() }
        let sql = """
            SELECT f_table_name, geometry_type, srid, spatial_index_enabled FROM geometry_columns ORDER BY 1;
            SELECT count(*) FROM manholes WHERE ST_Within(geom, BuildMbr(-47010, -66010, -46990, -65990, 6677));
            SELECT CheckSpatialIndex('manholes', 'geom');
            """
        guard let out = try run("spatialite", ["-batch", "-bail", f.dbPath, sql]) else {
            Issue.record("spatialite is not installed (make setup installs spatialite-bin)"); return
        }
        #expect(out.contains("manholes|1|6677|1"))   // 1 = POINT
        #expect(out.contains("roads|2|6677|1"))      // 2 = LINESTRING
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.contains("7"))
        #expect(lines.last == "1")                    // the R*Tree agrees with the table
    }
}
