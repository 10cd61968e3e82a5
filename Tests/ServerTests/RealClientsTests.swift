import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
import TestSupport
@testable import Layers
@testable import Server
@testable import Store

/// Runs the real server on a free port of 127.0.0.1 while `body` runs, then shuts it down.
func withLiveServer(_ f: ServerFixture, settings: ServerSettings = ServerSettings(host: "127.0.0.1", port: 0),
                    _ body: @Sendable (Int) async throws -> Void) async throws {
    let (stream, continuation) = AsyncStream<Int>.makeStream()
    let app = try ChizuServer.application(catalog: f.catalog, store: f.store, settings: settings,
                                      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) { port in
        continuation.yield(port)
    }
    let group = ServiceGroup(services: [app], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    let task = Task { try await group.run() }
    var port = 0
    for await p in stream { port = p; break }
    do { try await body(port) } catch { await group.triggerGracefulShutdown(); throw error }
    await group.triggerGracefulShutdown()
    _ = try? await task.value
}

func tool(_ path: String, _ args: [String]) throws -> String? { try TestSupport.run(path, args) }

/// GDAL's OAPIF driver and OWSLib against the real server on a real socket.
@Suite(.serialized) struct RealClientsTests {
    func fixtureWithManholes(_ n: Int) throws -> ServerFixture {
        let f = try ServerFixture()
        let layer = f.catalog.layer("manholes")!
        let features = (0..<n).map { i in
            FeatureRecord(properties: ["manhole_id": .text(String(format: "MH-%04d", i)), "kind": .text("汚水")],
                          wkb: wkbPoint(-47083 + Double(i), -66116))
        }
        _ = try f.store.load(features, into: layer, mode: .replace, source: RunSource(files: ["t"], checksum: "0", startedAt: Date()), counts: RunCounts())
        return f
    }

    @Test func gdalOAPIFDriverListsPublicCollectionsAndReadsCoordinates() async throws {
        let f = try fixtureWithManholes(5); defer { f.cleanUp() }
        try await withLiveServer(f) { port in
            guard let list = try tool("/usr/bin/ogrinfo", ["-ro", "OAPIF:http://127.0.0.1:\(port)"]) else {
                Issue.record("ogrinfo is not installed (make setup)"); return
            }
            #expect(list.contains("manholes") && list.contains("cameras"))
            #expect(!list.contains("yard_waste_points"))
            let one = try tool("/usr/bin/ogrinfo", ["-ro", "OAPIF:http://127.0.0.1:\(port)", "manholes", "-where", "manhole_id = 'MH-0000'"]) ?? ""
            #expect(one.contains("manhole_id (String) = MH-0000"))
            // cs2cs: EPSG:6677 (-66116, -47083) → 35.402939 N, 139.314968 E.
            #expect(one.contains("POINT (139.31496"))
            #expect(one.contains(" 35.40293"))
            let summary = try tool("/usr/bin/ogrinfo", ["-ro", "-so", "OAPIF:http://127.0.0.1:\(port)", "manholes"]) ?? ""
            #expect(summary.contains("Feature Count: 5"))
        }
    }

    @Test func owslibPagesThroughACollection() async throws {
        let f = try fixtureWithManholes(250); defer { f.cleanUp() }
        try await withLiveServer(f) { port in
            let script = """
            import sys
            try:
                from owslib.ogcapi.features import Features
            except ImportError:
                print("SKIP"); sys.exit(0)
            w = Features("http://127.0.0.1:\(port)")
            ids = set()
            offset = 0
            pages = 0
            while True:
                page = w.collection_items("manholes", limit=100, offset=offset)
                got = [feat["id"] for feat in page["features"]]
                ids.update(got); pages += 1
                if not any(l["rel"] == "next" for l in page["links"]): break
                offset += len(got)
            print(len(ids), pages, page["numberMatched"], "yard_waste_points" in [c["id"] for c in w.collections()["collections"]])
            """
            let out = try tool("/usr/bin/env", ["python3", "-c", script]) ?? ""
            if out.hasPrefix("SKIP") { Issue.record("owslib is not installed (make setup)"); return }
            #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "250 3 250 False")
        }
    }
}
