import Foundation
import Hummingbird
import HummingbirdTesting
import Layers
import Testing
@testable import Server
@testable import Store

/// The fixture plus the five sample gauges and device tokens.
struct RainFixture {
    let base: ServerFixture
    let devices: [String: String]

    init() throws {
        base = try ServerFixture()
        let gauges = base.catalog.layer("rain_gauges")!
        _ = try base.store.load((1...5).map { i in
            FeatureRecord(properties: ["site_id": .text("G\(i)"), "name": .text("雨量計\(i)")], wkb: wkbPoint(-47000 + Double(i) * 300, -66000))
        }, into: gauges, mode: .replace, source: RunSource(files: ["test"], checksum: "0", startedAt: Date()), counts: RunCounts())
        let service = TokenService(store: base.store)
        devices = [
            "G1": try service.create(department: nil, device: "G1", role: .editor).token,
            "GW": try service.create(department: nil, device: "GW", role: .editor, sites: ["G2", "G3"]).token,
            "cm-editor": try service.create(department: "crisis_management", role: .editor).token,
        ]
    }

    func post(_ client: some TestClientProtocol, _ json: String, as who: String) async throws -> TestResponse {
        let token = devices[who] ?? base.tokens[who]
        var h: HTTPFields = [.contentType: "application/json"]
        if let token { h[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/rain/readings", method: .post, headers: h, body: ByteBuffer(string: json))
    }

    static func reading(_ site: String, _ time: String, _ value: String) -> String {
        "{\"site\":\"\(site)\",\"observed_at\":\"\(time)\",\"value\":\(value)}"
    }
}

@Suite struct RainRoutesTests {
    @Test func devicePostsItsOwnGaugeOnlyAndGatewaysTheirList() async throws {
        let f = try RainFixture(); defer { f.base.cleanUp() }
        try await f.base.app().test(.router) { client in
            #expect(try await f.post(client, RainFixture.reading("G1", "2026-11-20T10:00:00+09:00", "1.5"), as: "G1").status == .ok)
            let r = try await f.post(client, RainFixture.reading("G2", "2026-11-20T10:00:00+09:00", "1.5"), as: "G1")
            #expect(r.status == .forbidden && r.text.contains("\"reading\":0"))
            #expect(try await f.post(client, "[" + RainFixture.reading("G2", "2026-11-20T10:00:00+09:00", "0") + "," +
                                     RainFixture.reading("G3", "2026-11-20T10:00:00+09:00", "null") + "]", as: "GW").status == .ok)
            #expect(try await f.post(client, RainFixture.reading("G4", "2026-11-20T10:00:00+09:00", "2"), as: "cm-editor").status == .ok)
            #expect(try await f.post(client, RainFixture.reading("G4", "2026-11-20T10:00:00+09:00", "2"), as: "crisis_management").status == .forbidden)
            #expect(try await f.post(client, RainFixture.reading("G4", "2026-11-20T10:00:00+09:00", "2"), as: "sewer").status == .forbidden)
            #expect(try await f.post(client, RainFixture.reading("G4", "2026-11-20T10:00:00+09:00", "2"), as: "anonymous").status == .unauthorized)
        }
        #expect(try f.base.store.readingCount(layer: "rain_gauges") == 4)
    }

    @Test func invalidReadingsNameTheReadingAndFieldAndStoreNothing() async throws {
        let f = try RainFixture(); defer { f.base.cleanUp() }
        try await f.base.app().test(.router) { client in
            let ok = RainFixture.reading("G1", "2026-11-20T10:00:00+09:00", "1")
            for (bad, field, status) in [(RainFixture.reading("G9", "2026-11-20T10:10:00+09:00", "1"), "site", HTTPResponse.Status.unprocessableContent),
                                         (RainFixture.reading("G1", "2099-01-01T00:00:00+09:00", "1"), "observed_at", .unprocessableContent),
                                         (RainFixture.reading("G1", "2026-11-20T10:10:00+09:00", "-0.5"), "value", .unprocessableContent),
                                         (RainFixture.reading("G1", "2026-11-20T10:10:00+09:00", "900"), "value", .unprocessableContent),
                                         (RainFixture.reading("G1", "yesterday", "1"), "observed_at", .unprocessableContent),
                                         (RainFixture.reading("G1", "2026-11-20T10:10:00+09:00", "\"lots\""), "value", .badRequest)] {
                let r = try await f.post(client, "[\(ok),\(bad)]", as: "admin")
                #expect(r.status == status, "\(bad)")
                #expect(r.headers[.contentType] == "application/problem+json")
                #expect(r.text.contains("\"reading\":1") && r.text.contains("\"field\":\"\(field)\""), "\(r.text)")
            }
        }
        #expect(try f.base.store.readingCount(layer: "rain_gauges") == 0)
    }

    @Test func itemsCarryCurrentRainfallAndThePageAHyetograph() async throws {
        let f = try RainFixture(); defer { f.base.cleanUp() }
        let now = Int64(Date().timeIntervalSince1970) / 600 * 600
        let batch = (0..<12).map { RainFixture.reading("G1", RainTime.jst(now - Int64(11 - $0) * 600), "2.5") }
        try await f.base.app().test(.router) { client in
            #expect(try await f.post(client, "{\"readings\":[\(batch.joined(separator: ","))]}", as: "G1").status == .ok)
            try await client.execute(uri: "/collections/rain_gauges/items", method: .get) { r in
                #expect(r.text.contains("\"rain_60m_mm\":15") && r.text.contains("\"rain_event_mm\":30") && r.text.contains("\"status\":\"ok\""), "\(r.text)")
                #expect(r.text.contains("\"intensity\":\"やや強い雨\""))
                #expect(r.text.contains("\"site_id\":\"G2\"") && r.text.contains("\"status\":\"stale\""))
            }
            try await client.execute(uri: "/collections/rain_gauges/items/G1?f=html", method: .get) { r in
                #expect(r.text.contains("<svg") && r.text.contains("<polyline") && r.text.components(separatedBy: "<rect").count >= 12)
            }
            try await client.execute(uri: "/rain/alerts", method: .get) { r in
                #expect(r.text.contains("\"threshold\":\"jma-10\"") && r.text.contains("やや強い雨"))
            }
        }
    }

    @Test func seriesSumsPerHourAsJSONAndCSV() async throws {
        let f = try RainFixture(); defer { f.base.cleanUp() }
        let batch = (1...12).map { RainFixture.reading("G1", RainTime.jst(RainTime.parse("2026-11-20T10:00:00+09:00")! + Int64($0) * 600), "0.5") }
        try await f.base.app().test(.router) { client in
            _ = try await f.post(client, "[\(batch.joined(separator: ","))]", as: "G1")
            try await client.execute(uri: "/rain/gauges/G1/readings?from=2026-11-20T10:00:00%2B09:00&to=2026-11-20T12:00:00%2B09:00&interval=1h", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("{\"time\":\"2026-11-20T11:00:00+09:00\",\"rain_mm\":3,\"cumulative_mm\":3,\"readings\":6,\"missing\":0}"), "\(r.text)")
                #expect(r.text.contains("\"cumulative_mm\":6"))
            }
            try await client.execute(uri: "/rain/gauges/G1/readings?interval=1h&f=csv", method: .get) { r in
                #expect(r.text.hasPrefix("site,time,rain_mm,cumulative_mm") && r.text.contains("G1,2026-11-20T12:00:00+09:00,3.0,6.0,6,0"), "\(r.text)")
            }
            #expect(try await client.execute(uri: "/rain/gauges/G1/readings?interval=5m", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/rain/gauges/G9/readings", method: .get).status == .notFound)
        }
    }
}

@Suite struct RainHubTests {
    @Test func subscribersGetKeepAlivesAndEachCommitInOrder() async throws {
        let hub = RainHub(keepAliveSeconds: 0.05)
        let (id, events) = hub.subscribe()
        let m = { (seq: Int64) in RainFeedMessage(seq: seq, content: .reading(Reading(site: "G1", observedAt: seq, value: 1), RainMeasures(), corrected: false)) }
        hub.publish([m(1), m(2)])
        hub.publish([m(3)])
        var seqs: [Int64] = []
        var keepAlives = 0
        for await e in events {
            switch e {
            case .messages(let batch): seqs += batch.map(\.seq)
            case .keepAlive: keepAlives += 1
            }
            if keepAlives > 0 && seqs.count == 3 { hub.unsubscribe(id) }
        }
        #expect(seqs == [1, 2, 3] && keepAlives >= 1 && hub.count == 0)
    }
}
