import Foundation
import Hummingbird
import HummingbirdTesting
import Layers
import Logging
import RainClient
import SampleCity
import Synchronization
import Testing
import TestSupport
@testable import Server
@testable import Store

/// Every SSE event a subscriber received, by kind.
final class Received: Sendable {
    let readings = Mutex<[String: Int]>([:])   // "site@observed_at" → times seen
    let sums = Mutex<[String: (Double, Double, Double)]>([:])
    let ids = Mutex<[Int64]>([])
    let count = Mutex(0)
    var readingCount: Int { count.withLock { $0 } }

    /// The value of `"name":` in a flat JSON object (enough for the server's reading messages).
    static func member(_ name: String, _ json: Substring) -> Substring? {
        guard let r = json.range(of: "\"\(name)\":") else { return nil }
        let rest = json[r.upperBound...]
        let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? rest.endIndex
        return rest[..<end].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).isEmpty ? nil : Substring(rest[..<end].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    }

    func add(_ e: RainClient.RainStreamEvent) throws {
        if let id = e.id { ids.withLock { $0.append(id) } }
        guard e.event == "reading" else { return }
        let data = Substring(e.data)
        guard let site = Self.member("site", data), let time = Self.member("observed_at", data).flatMap({ RainTime.parse(String($0)) }),
              let s60 = Self.member("sum_60m", data).flatMap({ Double($0) }), let s24 = Self.member("sum_24h", data).flatMap({ Double($0) }),
              let ev = Self.member("event_total", data).flatMap({ Double($0) }) else { Issue.record("unreadable \(e.data)"); return }
        let key = "\(site)@\(time)"
        readings.withLock { $0[key, default: 0] += 1 }
        count.withLock { $0 += 1 }
        sums.withLock { $0[key] = (s60, s24, ev) }
    }
}

/// Replays three days of sample readings and the real AMeDAS typhoon series (2023-09-07…09, hourly,
/// with gaps) through `POST /rain/readings` on a real socket with 100 concurrent gauge clients.
@Suite struct RainLiveTests {
    static let sites = 100

    @Test func concurrentReplayLosesNothingAndSSEDeliversEachReadingOnce() async throws {
        let dir = try TestSupport.temporaryDirectory("rain-live")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try generateSampleCity(options: SampleCityOptions(boundaryPath: SampleCityOptions.defaultBoundaryPath() ?? ""), to: dir.appendingPathComponent("sample"))
        let sources = try RainReplay.sampleSeries(dir.appendingPathComponent("sample/rain_readings.csv"))
            + RainReplay.amedasSeries(TestSupport.sharedDirectory.appendingPathComponent("data/real/amedas-kanagawa-hourly/event_2023-09-08_typhoon13.csv"))
        #expect(sources.count == 12)
        let plan = RainReplay.sites(Self.sites, from: sources)
        let total = plan.reduce(0) { $0 + $1.readings.count }

        let catalog = try LayerCatalog.load(directory: TestSupport.repositoryRoot.appendingPathComponent("layers"))
        let store = try SpatialStore(path: dir.appendingPathComponent("chizu.sqlite").path, create: true)
        try store.ensureLayers(catalog.layers)
        _ = try store.load(plan.enumerated().map { i, p in
            FeatureRecord(properties: ["site_id": .text(p.site), "name": .text(p.source)], wkb: wkbPoint(-47000 + Double(i) * 10, -66000))
        }, into: catalog.layer("rain_gauges")!, mode: .replace, source: RunSource(files: ["test"], checksum: "0", startedAt: Date()), counts: RunCounts())
        let tokens = try plan.map { try TokenService(store: store).create(department: nil, device: $0.site, role: .editor).token }
        let settings = RainSettings()
        let router = try ChizuServer.router(catalog: catalog, store: store, recorder: AccessRecorder(store: store),
                                            settings: ServerSettings(city: ChizuSettings(rain: settings)))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))

        try await app.test(.live) { client in
            let port = try #require(client.port)
            let stream = RainStreamReader(host: "127.0.0.1", port: port)
            let whole = Received(), split = Received()
            let (opened, openedSignal) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Subscriber 1 stays connected; subscriber 2 drops after a third and resumes with Last-Event-ID.
                group.addTask {
                    try await stream.follow(onOpen: { openedSignal.yield() }) { e in try whole.add(e); return whole.readingCount < total }
                }
                group.addTask {
                    let last = try await stream.follow(onOpen: { openedSignal.yield() }) { e in try split.add(e); return split.readingCount < total / 3 }
                    try await stream.follow(lastEventId: last) { e in try split.add(e); return split.readingCount < total }
                }
                var it = opened.makeAsyncIterator()
                _ = await it.next(); _ = await it.next()
                // 100 gauge clients, each posting its own series in time order, in hour-sized batches.
                for (i, p) in plan.enumerated() {
                    group.addTask {
                        try await RainPoster(host: "127.0.0.1", port: port, token: tokens[i])
                            .post(RainReplay.batches(p.readings, size: 12), sent: { _, answer in
                                if answer.status != 200 { Issue.record("POST \(p.site): \(answer.status) \(answer.body)") }
                            })
                    }
                }
                try await group.waitForAll()
            }

            // No reading lost or duplicated, in the store and on both streams.
            #expect(try store.readingCount(layer: "rain_gauges") == total)
            for r in [whole, split] {
                let seen = r.readings.withLock { $0 }
                #expect(seen.count == total && seen.values.allSatisfy { $0 == 1 })
                let ids = r.ids.withLock { $0 }
                #expect(ids == ids.sorted() && Set(ids).count == ids.count)
            }
            // Derived values (at each reading, as streamed, and now per gauge) equal a reference, computed once per source.
            var reference: [String: [Int64: RainMeasures]] = [:]
            for (name, series) in sources {
                let ref = RainReference(series.map { ($0.observedAt, $0.value) }, dry: Int64(settings.eventDryHours) * 3600)
                reference[name] = Dictionary(uniqueKeysWithValues: series.map {
                    ($0.observedAt, RainMeasures(sum60m: ref.sum($0.observedAt, 3600), sum24h: ref.sum($0.observedAt, 86400), eventTotal: ref.event($0.observedAt)))
                })
            }
            func close(_ a: RainMeasures, _ b: RainMeasures) -> Bool {
                abs(a.sum60m - b.sum60m) < 1e-6 && abs(a.sum24h - b.sum24h) < 1e-6 && abs(a.eventTotal - b.eventTotal) < 1e-6
            }
            let sums = whole.sums.withLock { $0 }
            var mismatches = 0
            for p in plan {
                for r in p.readings {
                    guard let s = sums["\(p.site)@\(r.observedAt)"] else { continue }
                    if !close(RainMeasures(sum60m: s.0, sum24h: s.1, eventTotal: s.2), reference[p.source]![r.observedAt]!) { mismatches += 1 }
                }
            }
            #expect(mismatches == 0)
            let states = try store.gaugeStates(layer: "rain_gauges", sites: plan.map(\.site), now: 0, settings: settings)
            for p in plan {
                let want = reference[p.source]![p.readings.last!.observedAt]!
                #expect(states[p.site].map { close($0.measures, want) } == true)
            }
            // The alerts are exactly the reference's threshold crossings.
            var expected = Set<String>()
            for p in plan {
                var previous = RainMeasures()
                for r in p.readings {
                    let m = reference[p.source]![r.observedAt]!
                    for th in settings.thresholds where m.value(th.measure) >= th.mm && previous.value(th.measure) < th.mm {
                        expected.insert("\(p.site) \(th.id) \(r.observedAt)")
                    }
                    previous = m
                }
            }
            let alerts = Set(try store.rainAlerts(limit: 100_000).map { "\($0.site) \($0.thresholdId) \($0.observedAt)" })
            #expect(!expected.isEmpty && alerts == expected)
        }
    }
}

@Suite struct RainStreamGapTests {
    /// A subscriber that missed commits (its buffer overflowed) gets them from the database, in order, once.
    @Test func missedCommitsAreRefilledFromTheDatabase() async throws {
        let f = try RainFixture(); defer { f.base.cleanUp() }
        let hub = RainHub(keepAliveSeconds: 60, bufferLimit: 1)
        try await Self.app(f, hub: hub).test(.live) { client in
            let port = try #require(client.port)
            let (opened, signal) = AsyncStream<Void>.makeStream()
            let got = Received()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await RainStreamReader(host: "127.0.0.1", port: port).follow(onOpen: { signal.yield() }) { e in
                        got.ids.withLock { $0.append(e.id ?? -1) }
                        return got.ids.withLock { $0.count } < 30
                    }
                }
                var it = opened.makeAsyncIterator()
                _ = await it.next()
                var last: RainWriteResult?
                for i in 0..<30 {   // committed but never published: as if dropped from the subscriber's buffer
                    last = try f.base.store.storeLiveReadings([Reading(site: "G1", observedAt: 1_795_000_200 + Int64(i) * 600, value: 0)],
                                                              layer: "rain_gauges", settings: RainSettings())
                }
                hub.publish(last!.messages)
                try await group.waitForAll()
            }
            #expect(got.ids.withLock { $0 } == Array(1...30))
        }
    }

    /// A subscriber that hangs up is gone at once, not at the next keep-alive write (60 s here): under
    /// load, thousands of closed streams would otherwise hold their sockets and buffers that long.
    @Test func aSubscriberThatHangsUpIsDroppedAtOnce() async throws {
        let f = try RainFixture(); defer { f.base.cleanUp() }
        let hub = RainHub(keepAliveSeconds: 60)
        try await Self.app(f, hub: hub).test(.live) { client in
            let port = try #require(client.port)
            let (opened, signal) = AsyncStream<Void>.makeStream()
            let reader = Task {
                try await RainStreamReader(host: "127.0.0.1", port: port).follow(onOpen: { signal.yield() }) { _ in true }
            }
            var it = opened.makeAsyncIterator()
            _ = await it.next()
            #expect(hub.count == 1)
            reader.cancel()   // closes the connection
            _ = try? await reader.value
            let deadline = ContinuousClock.now + .seconds(5)
            while hub.count > 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(hub.count == 0)
        }
    }

    /// The rain routes alone, on a live socket.
    static func app(_ f: RainFixture, hub: RainHub) throws -> some ApplicationProtocol {
        let service = try #require(RainService(catalog: f.base.catalog, store: f.base.store, settings: RainSettings(), hub: hub))
        let router = Router(context: ChizuContext.self)
        RainRoutes(access: LayerAccess(catalog: f.base.catalog, store: f.base.store), service: service).register(on: router)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                           logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}
