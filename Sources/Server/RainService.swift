import Features
import Foundation
import Layers
import Store
import Synchronization

/// One SSE subscriber's input: each commit's feed messages (in seq order), and keep-alive ticks.
enum RainStreamEvent: Sendable {
    case messages([RainFeedMessage])
    case keepAlive
}

/// Fans committed feed messages out to the SSE subscribers of this process.
final class RainHub: Sendable {
    private struct Subscriber {
        let continuation: AsyncStream<RainStreamEvent>.Continuation
        let keepAlive: Task<Void, Never>
    }
    private let subscribers = Mutex<(next: Int, all: [Int: Subscriber])>((0, [:]))
    let keepAliveSeconds: Double
    /// Commits a slow subscriber may have waiting; beyond that it refills the gap from the database.
    let bufferLimit: Int

    init(keepAliveSeconds: Double = 15, bufferLimit: Int = 10_000) {
        self.keepAliveSeconds = keepAliveSeconds; self.bufferLimit = bufferLimit
    }

    /// A new subscription: its id (for `unsubscribe`) and its events.
    func subscribe() -> (Int, AsyncStream<RainStreamEvent>) {
        let (stream, continuation) = AsyncStream<RainStreamEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferLimit))
        let seconds = keepAliveSeconds
        let tick = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(seconds))
                continuation.yield(.keepAlive)
            }
        }
        let id = subscribers.withLock { s in
            s.next += 1
            s.all[s.next] = Subscriber(continuation: continuation, keepAlive: tick)
            return s.next
        }
        return (id, stream)
    }

    func unsubscribe(_ id: Int) {
        let s = subscribers.withLock { $0.all.removeValue(forKey: id) }
        s?.keepAlive.cancel()
        s?.continuation.finish()
    }

    var count: Int { subscribers.withLock { $0.all.count } }

    /// Sends messages (already in seq order) to every subscriber.
    func publish(_ messages: [RainFeedMessage]) {
        guard !messages.isEmpty else { return }
        subscribers.withLock { s in
            for sub in s.all.values { sub.continuation.yield(.messages(messages)) }
        }
    }
}

/// Commits live readings one batch at a time and publishes each batch's feed messages before the
/// next commits, so subscribers receive messages in seq order. Waiting posts suspend, not block.
actor RainWriter {
    let store: SpatialStore
    let hub: RainHub
    init(store: SpatialStore, hub: RainHub) { self.store = store; self.hub = hub }

    func write(_ readings: [Reading], layer: String, settings: RainSettings) throws -> RainWriteResult {
        let result = try store.storeLiveReadings(readings, layer: layer, settings: settings)
        hub.publish(result.messages)
        return result
    }
}

/// The live rain-gauge service: its layer, thresholds, the writer and the subscribers.
struct RainService: Sendable {
    let layer: LayerDefinition
    let readings: ReadingsDefinition
    let store: SpatialStore
    let settings: RainSettings
    let hub: RainHub
    let writer: RainWriter
    private let siteCache = SiteCache()

    /// The service for the catalog's `rain_gauges` layer, or nil when the city has none.
    init?(catalog: LayerCatalog, store: SpatialStore, settings: RainSettings, hub: RainHub = RainHub()) {
        guard let layer = catalog.layer("rain_gauges"), let readings = layer.readings else { return nil }
        self.layer = layer; self.readings = readings; self.store = store; self.settings = settings
        self.hub = hub; self.writer = RainWriter(store: store, hub: hub)
    }

    /// The layer's site keys (reloaded when the layer's version changes).
    func sites() throws -> Set<String> {
        let version = try store.layerInfo(layer.id)?.version ?? 0
        if let cached = siteCache.value.withLock({ $0 }), cached.version == version { return cached.sites }
        let sites = Set(try store.features(of: layer, limit: 1_000_000).compactMap { $0.properties[layer.keyField]?.description })
        siteCache.value.withLock { $0 = (version, sites) }
        return sites
    }

    final class SiteCache: Sendable {
        let value = Mutex<(version: Int64, sites: Set<String>)?>(nil)
    }
}

/// Puts each gauge's current rainfall on the rain-gauge collection's features, and its hyetograph on its page.
struct RainGaugeDecorator: FeatureDecorator {
    let service: RainService

    var fields: [FieldDefinition] {
        func f(_ name: String, _ type: FieldType, _ ja: String, _ en: String, _ unit: String? = nil) -> FieldDefinition {
            FieldDefinition(name: name, type: type, label: LocalizedText(ja: ja, en: en), unit: unit)
        }
        return [
            f("observed_at", .datetime, "観測日時", "Observed at"),
            f("rain_10m_mm", .real, "10分間雨量", "10-minute rainfall", "mm"),
            f("rain_60m_mm", .real, "60分間雨量", "60-minute rainfall", "mm"),
            f("rain_24h_mm", .real, "24時間雨量", "24-hour rainfall", "mm"),
            f("rain_event_mm", .real, "連続雨量", "Event total", "mm"),
            f("intensity", .text, "雨の強さ", "Intensity"),
            f("status", .text, "状態", "Status"),
        ]
    }

    func decorate(_ features: [StoredFeature], layer: LayerDefinition) throws -> [StoredFeature] {
        let keys = features.compactMap { $0.properties[layer.keyField]?.description }
        let states = try service.store.gaugeStates(layer: layer.id, sites: keys, now: Int64(Date().timeIntervalSince1970),
                                                   settings: service.settings)
        return features.map { f in
            guard let key = f.properties[layer.keyField]?.description, let s = states[key] else { return f }
            var f = f
            f.properties["observed_at"] = s.observedAt.map { .datetime(RainTime.jst($0)) } ?? .null
            f.properties["rain_10m_mm"] = s.latest.map(FieldValue.real) ?? .null
            f.properties["rain_60m_mm"] = s.observedAt == nil ? .null : .real(s.measures.sum60m)
            f.properties["rain_24h_mm"] = s.observedAt == nil ? .null : .real(s.measures.sum24h)
            f.properties["rain_event_mm"] = s.observedAt == nil ? .null : .real(s.measures.eventTotal)
            f.properties["intensity"] = service.settings.intensity.last(where: { s.measures.sum60m >= $0.mm }).map { .text($0.label) } ?? .null
            f.properties["status"] = .text(s.status.rawValue)
            return f
        }
    }

    func version() throws -> String {
        // Status turns stale with time alone: the minute is part of the version.
        "\(try service.store.rainFeedHead())-\(Int(Date().timeIntervalSince1970) / 60)"
    }

    /// The last 24 hours of 10-minute rainfall as a hyetograph with the cumulative line.
    func html(for feature: StoredFeature, layer: LayerDefinition, lang: String) throws -> String {
        guard let key = feature.properties[layer.keyField]?.description,
              case .datetime(let latest)? = feature.properties["observed_at"], let end = RainTime.parse(latest) else { return "" }
        let interval = Int64(service.readings.intervalSeconds)
        let buckets = try service.store.rainBuckets(layer: layer.id, site: key, from: end - 86400, to: end, interval: interval)
        let bars = buckets.map { Hyetograph.Bar(label: String(RainTime.jst($0.end).dropFirst(11).prefix(5)), mm: $0.value) }
        let title = lang == "en" ? "Rainfall, last 24 hours to \(latest)" : "直近24時間の雨量（\(latest)まで）"
        return "<figure>" + Hyetograph(title: title).svg(bars) + "<figcaption>\(HTMLPages.escape(title))"
            + " — <a href=\"/rain/gauges/\(HTMLPages.escape(key))/readings?interval=1h&amp;f=csv\">CSV</a></figcaption></figure>"
    }
}
