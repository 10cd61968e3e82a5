import Foundation
import GeoCore
import Testing
import TestSupport
@testable import Features
@testable import Layers
@testable import Store

/// CQL2 filters run against a real SpatiaLite store with the shipped road layer.
@Suite struct CQL2FilteringTests {
    struct Fixture {
        let dir: URL
        let store: SpatialStore
        let layer: LayerDefinition
        init() throws {
            dir = try TestSupport.temporaryDirectory("cql2")
            let catalog = try LayerCatalog.load(directory: TestSupport.repositoryRoot.appendingPathComponent("layers"))
            store = try SpatialStore(path: dir.appendingPathComponent("c.sqlite").path, create: true)
            try store.ensureLayers(catalog.layers)
            layer = catalog.layer("roads")!
            let toStorage = try CoordinateTransformer.between(.wgs84, .jgd2011ZoneIX)
            // Five east-west roads 0.001° apart in latitude near the city hall.
            var records: [FeatureRecord] = []
            for i in 0..<5 {
                let a = try toStorage.transform(Coordinate(x: 139.3140, y: 35.4020 + Double(i) * 0.001))
                let b = try toStorage.transform(Coordinate(x: 139.3160, y: 35.4020 + Double(i) * 0.001))
                let g = try Geometry(.lineString([a, b]))
                records.append(FeatureRecord(properties: [
                    "segment_id": .text("S\(i)"), "route_number": .text("1-00\(i)"), "route_name": .text(i < 3 ? "伊勢原大山線" : "成瀬\(i)号線"),
                    "road_class": .text(i == 0 ? "1級" : "その他市道"), "width_m": .real(2.5 + Double(i)), "certified_on": .date("20\(10 + i)-04-01"),
                    "pavement": i == 4 ? .null : .text("アスファルト"), "one_way": .integer(0),
                ], wkb: g.wkb))
            }
            _ = try store.load(records, into: layer, mode: .replace, source: RunSource(files: ["t"], checksum: "0", startedAt: Date()), counts: RunCounts())
        }
        func keys(_ filter: String, lang: String = "cql2-text", fields: [FieldDefinition]? = nil) throws -> [String] {
            let c = try CQL2Compiler.filterCompiler(filter, lang, nil, layer, fields ?? layer.fields)
            return try store.search(layer, box: nil, conditions: [c], limit: 100, offset: 0).features.compactMap { $0.properties["segment_id"]?.description }
        }
    }

    @Test func comparisonsLikeInBetweenNullAndDates() throws {
        let f = try Fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        #expect(try f.keys("road_class = '1級'") == ["S0"])
        #expect(try f.keys("route_name LIKE '伊勢原%'") == ["S0", "S1", "S2"])
        #expect(try f.keys("route_name LIKE '成瀬_号線'") == ["S3", "S4"])
        #expect(try f.keys("route_name LIKE '%大山%' AND NOT width_m < 3") == ["S1", "S2"])
        #expect(try f.keys("segment_id IN ('S1', 'S4')") == ["S1", "S4"])
        #expect(try f.keys("width_m BETWEEN 3 AND 5") == ["S1", "S2"])
        #expect(try f.keys("pavement IS NULL") == ["S4"])
        #expect(try f.keys("certified_on >= DATE('2013-01-01')") == ["S3", "S4"])
        #expect(try f.keys(#"{"op":"<","args":[{"property":"width_m"},4]}"#, lang: "cql2-json") == ["S0", "S1"])
    }

    @Test func likeIsCaseSensitiveAndTreatsGlobCharactersLiterally() throws {
        let f = try Fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        #expect(try f.keys("segment_id LIKE 's%'") == [])
        #expect(try f.keys("segment_id LIKE 'S*'") == [])
    }

    @Test func spatialFunctionsAndDistance() throws {
        let f = try Fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        #expect(try f.keys("S_INTERSECTS(geometry, BBOX(139.3145, 35.4015, 139.3155, 35.4025))") == ["S0"])
        #expect(try f.keys("S_WITHIN(geometry, BBOX(139.31, 35.40, 139.32, 35.4035))") == ["S0", "S1"])
        // 0.001° of latitude is about 111 m: within 150 m of a point on S1 are S0, S1 and S2.
        #expect(try f.keys("DWITHIN(geometry, POINT(139.3150 35.4030), 150, meters)") == ["S0", "S1", "S2"])
        #expect(try f.keys("DWITHIN(geometry, POINT(139.3150 35.4030), 50, meters)") == ["S1"])
    }

    @Test func injectionInLiteralsMatchesNothing() throws {
        let f = try Fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        #expect(try f.keys("segment_id = 'x'' OR 1=1 --'") == [])
        #expect(try f.keys("route_name LIKE '%'' OR ''1''=''1'") == [])
    }

    @Test func typeMismatchesAndUnknownPropertiesAreReported() throws {
        let f = try Fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        for (filter, message) in [("width_m = 'wide'", "width_m is real"), ("road_class > 3", "road_class is text"),
                                  ("width_m LIKE '3%'", "LIKE needs a text property"), ("nothing = 1", "unknown property 'nothing'"),
                                  ("S_INTERSECTS(road_class, POINT(139 35))", "unknown spatial property")] {
            do { _ = try f.keys(filter); Issue.record("\(filter) accepted") } catch let e as QueryError {
                #expect(e.parameter == "filter" && e.message.contains(message), "\(filter): \(e.message)")
            }
        }
    }

    /// Found by hard/hostile.sh: an empty literal inside a collection has no bounding box, and the
    /// server trapped on it; a literal PROJ sends to infinity has no usable one either.
    @Test func emptyAndUnplaceableGeometryLiteralsAreErrorsNotCrashes() throws {
        let f = try Fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let filters: [(String, String)] = [
            ("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT EMPTY))", "cql2-text"),
            ("DWITHIN(geometry, MULTIPOINT(EMPTY), 10)", "cql2-text"),
            ("S_WITHIN(geometry, POINT(1e308 1e308))", "cql2-text"),
            (#"{"op":"s_intersects","args":[{"property":"geometry"},{"type":"GeometryCollection","geometries":[]}]}"#, "cql2-json"),
            (#"{"op":"dwithin","args":[{"property":"geometry"},{"type":"Point","coordinates":[]},10]}"#, "cql2-json"),
        ]
        for (filter, lang) in filters {
            do { _ = try f.keys(filter, lang: lang); Issue.record("\(filter) accepted") } catch let e as QueryError {
                #expect(e.parameter == "filter" && (e.message.contains("empty or has no position") || e.message.contains("cannot transform")),
                        "\(filter): \(e.message)")
            }
        }
    }

    @Test func aFieldTheCallerMayNotSeeIsUnknown() throws {
        let f = try Fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let visible = f.layer.fields.filter { $0.name != "width_m" }
        do { _ = try f.keys("width_m > 1", fields: visible); Issue.record("accepted") } catch let e as QueryError {
            #expect(e.message.contains("unknown property 'width_m'"))
        }
    }
}
