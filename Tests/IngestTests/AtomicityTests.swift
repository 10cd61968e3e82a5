import Foundation
import Testing
import TestSupport
import GeoCore
@testable import Ingest
@testable import Layers
@testable import Store

/// A manholes CSV of `count` rows whose district names the version, so a reader can tell versions apart.
func manholesCSV(count: Int, version: String) -> String {
    var s = "マンホール番号,種別,X,Y,地盤高,深さ,処理区\n"
    s.reserveCapacity(count * 60)
    for i in 0..<count {
        s += "MH-\(i),汚水,\(-66000 - Double(i % 1000)),\(-47000 + Double(i / 1000)),30.0,2.0,\(version)\n"
    }
    return s
}

@Suite struct AtomicityTests {
    @Test func readersSeeTheOldVersionOrTheNewNeverAMix() async throws {
        let f = try IngestFixture(); defer { f.cleanUp() }
        let layer = f.layer("manholes")
        _ = try f.ingest("manholes", [try f.write("a.csv", manholesCSV(count: 2_000, version: "A"), cp932: true)])
        let b = try f.write("b.csv", manholesCSV(count: 30_000, version: "B"), cp932: true)
        let writer = Task.detached { try f.ingest("manholes", [b]) }
        var seen = Set<String>()
        var reads = 0
        repeat {
            let all = try f.store.features(of: layer, limit: 100_000)
            let versions = Set(all.map { $0.properties["district"]?.description ?? "?" })
            #expect(versions.count == 1, "a read saw \(versions)")
            let v = versions.first ?? "?"
            #expect(all.count == (v == "A" ? 2_000 : 30_000))
            seen.insert(v)
            reads += 1
        } while !seen.contains("B") && reads < 10_000
        _ = try await writer.value
        #expect(seen.contains("B"))
    }

    @Test func killingTheIngestAtAnyMomentKeepsTheOldVersion() throws {
        let chizu = TestSupport.repositoryRoot.appendingPathComponent(".build/debug/chizu")
        guard FileManager.default.isExecutableFile(atPath: chizu.path) else {
            Issue.record("build the chizu executable first (swift build)"); return
        }
        let f = try IngestFixture(); defer { f.cleanUp() }
        _ = try f.ingest("manholes", [try f.write("a.csv", manholesCSV(count: 1_000, version: "A"), cp932: true)])
        let b = try f.write("manholes.csv", manholesCSV(count: 60_000, version: "B"), cp932: true)
        var outcomes: [String] = []
        for attempt in 0..<6 {
            let p = Process()
            p.executableURL = chizu
            p.arguments = ["ingest", "--db", f.store.path, "--layers", TestSupport.repositoryRoot.appendingPathComponent("layers").path,
                           "manholes", b.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(useconds_t(150_000 + attempt * 150_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let reopened = try SpatialStore(path: f.store.path)
            #expect(try reopened.integrityCheck() == "ok")
            let all = try reopened.features(of: f.layer("manholes"), limit: 100_000)
            let versions = Set(all.map { $0.properties["district"]?.description ?? "?" })
            #expect(versions.count == 1)
            #expect(all.count == (versions.first == "A" ? 1_000 : 60_000))
            outcomes.append(versions.first ?? "?")
            if versions.first == "B" { break }
        }
        #expect(outcomes.first == "A", "the first kill came too late to interrupt anything")
    }
}
