import ArgumentParser
import Foundation
import Layers
import Logging
import RainClient
import SampleCity
import Server
import Store
import Synchronization

/// `chizu rain`: the live rain gauges.
struct RainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rain",
        abstract: "Live rain gauges: benchmark telemetry in and SSE out.",
        subcommands: [Bench.self])

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay the sample city's 3 days and the real AMeDAS typhoon series through POST /rain/readings on a fresh server.",
            discussion: """
            Fixed inputs: the sample city's rain_readings.csv (seed 1) and event_2023-09-08_typhoon13.csv, spread round robin
            over --gauges sites, each posted by its own client (own device token, own connection) as fast as answers come back,
            while --subscribers clients follow /rain/stream. Prints sustained readings/s and the POST→SSE delay (from just
            before a reading's POST is written to its SSE event's arrival) at p50 and p99, in one line.
            """)

        @Option(name: .long, help: "Gauge clients posting at once.") var gauges = 100
        @Option(name: .long, help: "Readings per POST (1: one reading per request, as a gauge does).") var batch = 1
        @Option(name: .long, help: "SSE subscribers.") var subscribers = 1
        @Option(name: .long, help: "Directory of layer definitions.") var layers = "layers"
        @Option(name: .long, help: "The AMeDAS typhoon CSV.")
        var amedas = "../shared/data/real/amedas-kanagawa-hourly/event_2023-09-08_typhoon13.csv"

        func validate() throws {
            guard gauges > 0, batch > 0, subscribers > 0 else { throw ValidationError("--gauges, --batch and --subscribers must be positive") }
        }

        func run() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chizu-rain-bench-\(ProcessInfo.processInfo.processIdentifier)")
            defer { try? FileManager.default.removeItem(at: dir) }
            guard let boundary = SampleCityOptions.defaultBoundaryPath() else { printError("the sample city's boundary file is missing"); throw ExitCode.failure }
            _ = try generateSampleCity(options: SampleCityOptions(boundaryPath: boundary), to: dir.appendingPathComponent("sample"))
            let sources = try RainReplay.sampleSeries(dir.appendingPathComponent("sample/rain_readings.csv"))
                + RainReplay.amedasSeries(URL(fileURLWithPath: amedas))
            let plan = RainReplay.sites(gauges, from: sources)
            let total = plan.reduce(0) { $0 + $1.readings.count }

            let catalog = try LayerCatalog.load(directory: URL(fileURLWithPath: layers))
            let store = try SpatialStore(path: dir.appendingPathComponent("bench.sqlite").path, create: true)
            try store.ensureLayers(catalog.layers)
            guard let gaugeLayer = catalog.layer("rain_gauges") else { printError("no rain_gauges layer in \(layers)"); throw ExitCode.failure }
            _ = try store.load(plan.map { p in FeatureRecord(properties: ["site_id": .text(p.site), "name": .text(p.source)], wkb: Self.point(-47000, -66000)) },
                               into: gaugeLayer, mode: .replace, source: RunSource(files: ["bench"], checksum: "0", startedAt: Date()), counts: RunCounts())
            let tokens = try plan.map { try TokenService(store: store).create(department: nil, device: $0.site, role: .editor).token }

            let (ports, portSignal) = AsyncStream<Int>.makeStream()
            let app = try ChizuServer.application(catalog: catalog, store: store, settings: ServerSettings(port: 0),
                                                  logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })) { portSignal.yield($0) }
            let server = Task { try await app.runService() }
            var portIterator = ports.makeAsyncIterator()
            guard let port = await portIterator.next() else { throw ExitCode.failure }

            let clock = ContinuousClock()
            let origin = clock.now
            let record = BenchRecord()
            let (opened, openSignal) = AsyncStream<Void>.makeStream()
            var elapsed = Duration.zero
            let subscriberCount = subscribers, batchSize = batch
            try await withThrowingTaskGroup(of: Void.self) { group in
                for s in 0..<subscriberCount {
                    group.addTask {
                        try await RainStreamReader(host: "127.0.0.1", port: port).follow(onOpen: { openSignal.yield() }) { e in
                            guard e.event == "reading" else { return true }
                            let now = clock.now - origin
                            if s == 0, let key = Bench.key(e.data), let sent = record.sentAt.withLock({ $0[key] }) {
                                record.delays.withLock { $0.append(Double((now - sent).components.attoseconds) / 1e15 + Double((now - sent).components.seconds) * 1000) }
                            }
                            return record.received.withLock { $0 += 1; return $0 } < total * subscriberCount
                        }
                    }
                }
                var it = opened.makeAsyncIterator()
                for _ in 0..<subscriberCount { _ = await it.next() }
                let start = clock.now
                try await withThrowingTaskGroup(of: Void.self) { posters in
                    for (i, p) in plan.enumerated() {
                        let batches = RainReplay.batches(p.readings, size: batchSize)
                        posters.addTask {
                            try await RainPoster(host: "127.0.0.1", port: port, token: tokens[i]).post(batches, sending: { b in
                                let t = clock.now - origin
                                record.sentAt.withLock { for r in batches[b] { $0["\(r.site)@\(r.observedAt)"] = t } }
                            }) { _, answer in
                                if answer.status != 200 { throw ValidationError("POST failed: \(answer.status) \(answer.body)") }
                            }
                        }
                    }
                    try await posters.waitForAll()
                }
                elapsed = clock.now - start
                try await group.waitForAll()
            }
            server.cancel()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let d = record.delays.withLock { $0 }.sorted()
            func pct(_ p: Double) -> Double { d.isEmpty ? .nan : d[min(d.count - 1, Int(Double(d.count) * p))] }
            let stored = try store.readingCount(layer: "rain_gauges")
            print(String(format: "rain-live: %d readings (%d stored) from %d gauges, %d per POST, %d SSE subscriber(s): %.0f readings/s sustained (%.2f s); POST→SSE delay p50 %.1f ms, p99 %.1f ms (%d timed)",
                         total, stored, gauges, batch, subscribers, Double(total) / seconds, seconds, pct(0.5), pct(0.99), d.count))
        }

        /// What the clients saw: when each reading was sent, SSE delays in ms, events received.
        final class BenchRecord: Sendable {
            let sentAt = Mutex<[String: Duration]>([:])
            let delays = Mutex<[Double]>([])
            let received = Mutex(0)
        }

        /// "site@epoch" of a reading event's data.
        static func key(_ json: String) -> String? {
            guard let s = json.range(of: "\"site\":\""), let e = json[s.upperBound...].firstIndex(of: "\""),
                  let t = json.range(of: "\"observed_at\":\""), let te = json[t.upperBound...].firstIndex(of: "\""),
                  let time = RainTime.parse(String(json[t.upperBound..<te])) else { return nil }
            return "\(json[s.upperBound..<e])@\(time)"
        }

        static func point(_ x: Double, _ y: Double) -> [UInt8] {
            [1] + withUnsafeBytes(of: UInt32(1).littleEndian, Array.init) + withUnsafeBytes(of: x.bitPattern.littleEndian, Array.init)
                + withUnsafeBytes(of: y.bitPattern.littleEndian, Array.init)
        }
    }
}
