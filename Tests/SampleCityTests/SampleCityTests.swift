import Foundation
import GeoCore
import Testing
import TestSupport
@testable import SampleCity

/// One generated city shared by the tests (generation takes a couple of seconds).
enum Fixture {
    static let boundary = TestSupport.sharedDirectory.appendingPathComponent("data/real/n03-isehara/isehara_N03_2019_epsg6677.geojson").path
    static let directory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chizu-sample-\(UUID().uuidString)")
        _ = try! generateSampleCity(options: SampleCityOptions(scale: 1, seed: 1, boundaryPath: boundary), to: dir)
        return dir
    }()
    static let builder: SampleCityBuilder = {
        var b = try! SampleCityBuilder(options: SampleCityOptions(scale: 1, seed: 1, boundaryPath: boundary))
        b.buildStreets()
        b.buildSewers()
        return b
    }()

    static func run(_ tool: String, _ args: [String]) -> String? { (try? TestSupport.run(tool, args)) ?? nil }
}

@Suite struct SampleCityTests {
    @Test func aboutSevenThousandRoadSegments() {
        #expect((6_000...8_000).contains(Fixture.builder.edges.count))
    }

    @Test func theNetworkIsConnected() {
        let b = Fixture.builder
        var uf = UnionFind(b.nodes.count)
        for e in b.edges { uf.union(e.a, e.b) }
        let used = Set(b.edges.flatMap { [$0.a, $0.b] })
        #expect(Set(used.map { uf.find($0) }).count == 1)
    }

    @Test func everyRoadLiesInsideIsehara() throws {
        let b = Fixture.builder
        let outside = b.edges.flatMap { b.polyline($0) }.filter { !((try? b.boundary.contains($0)) ?? false) }
        #expect(outside.isEmpty, "\(outside.count) vertices outside the boundary")
    }

    @Test func aboutTwelvePercentOfRoadsAreNarrow() {
        let b = Fixture.builder
        let narrow = Double(b.edges.filter { $0.width < 4 }.count) / Double(b.edges.count)
        #expect((0.10...0.14).contains(narrow))
        #expect(b.edges.contains { $0.width < 3 })
    }

    @Test func arterialsAndDeadEndsExist() {
        let b = Fixture.builder
        #expect(b.edges.contains { $0.arterial == 1 } && b.edges.contains { $0.arterial == 2 })
        var degree: [Int: Int] = [:]
        for e in b.edges { degree[e.a, default: 0] += 1; degree[e.b, default: 0] += 1 }
        #expect(degree.values.filter { $0 == 1 }.count > 100)
    }

    @Test func theCentreIsDenserThanTheHills() {
        let b = Fixture.builder
        func count(near c: Coordinate) -> Int { b.nodes.filter { hypot($0.x - c.x, $0.y - c.y) < 1000 }.count }
        let west = Coordinate(x: b.box.minX + b.box.width * 0.2, y: b.box.minY + b.box.height * 0.7)
        #expect(count(near: b.cityHall) > 3 * count(near: west))
    }

    @Test func everyPipesManholesAreInTheManholeFile() throws {
        let text = try String(decoding: Data(contentsOf: Fixture.directory.appendingPathComponent("manholes.csv")), as: UTF8.self)
        #expect(text.isEmpty || !text.contains("マンホール"))   // not UTF-8: it is CP932
        let b = Fixture.builder
        #expect(b.pipes.allSatisfy { $0.up < b.manholes.count && $0.down < b.manholes.count && $0.up != $0.down })
        #expect(b.pipes.count > 1_000)
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let again = FileManager.default.temporaryDirectory.appendingPathComponent("chizu-sample-\(UUID().uuidString)")
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("chizu-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: again); try? FileManager.default.removeItem(at: other) }
        _ = try generateSampleCity(options: SampleCityOptions(scale: 1, seed: 1, boundaryPath: Fixture.boundary), to: again)
        _ = try generateSampleCity(options: SampleCityOptions(scale: 1, seed: 2, boundaryPath: Fixture.boundary), to: other)
        for file in ["roads.shp", "roads.dbf", "sewer_pipes.dbf", "manholes.csv", "rain_readings.csv", "cameras.csv", "yard_waste_points.geojson"] {
            let a = try Data(contentsOf: Fixture.directory.appendingPathComponent(file))
            #expect(a == (try Data(contentsOf: again.appendingPathComponent(file))), "\(file) differs for the same seed")
            if file != "cameras.csv" {
                #expect(a != (try Data(contentsOf: other.appendingPathComponent(file))), "\(file) is the same for another seed")
            }
        }
    }

    @Test func ogrinfoReadsTheRoadsWithCRSAndJapaneseText() throws {
        guard let out = Fixture.run("ogrinfo", ["-ro", "-so", "-al", Fixture.directory.appendingPathComponent("roads.shp").path]) else {
            Issue.record("ogrinfo is not installed (make setup)"); return
        }
        #expect(out.contains("Geometry: Line String"))
        #expect(out.contains("JGD2011 / Japan Plane Rectangular CS IX"))
        #expect(out.contains("路線名: String"))
        let one = Fixture.run("ogrinfo", ["-ro", "-al", "-q", Fixture.directory.appendingPathComponent("roads.shp").path, "-fid", "1"]) ?? ""
        #expect(one.contains("道路種別 (String) = "))
        #expect(try String(contentsOf: Fixture.directory.appendingPathComponent("roads.cpg"), encoding: .ascii) == "CP932")
    }

    @Test func scaleLaysTownsSideBySideStillConnected() throws {
        var b = try SampleCityBuilder(options: SampleCityOptions(scale: 2, seed: 1, boundaryPath: Fixture.boundary))
        b.buildStreets()
        #expect(b.edges.count > 4 * Fixture.builder.edges.count)
        var uf = UnionFind(b.nodes.count)
        for e in b.edges { uf.union(e.a, e.b) }
        #expect(Set(Set(b.edges.flatMap { [$0.a, $0.b] }).map { uf.find($0) }).count == 1)
    }

    @Test func missingBoundarySaysWhatToDo() {
        #expect(throws: SampleCityError.self) {
            try SampleCityBuilder(options: SampleCityOptions(boundaryPath: "/nonexistent.geojson"))
        }
    }
}
