import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import Layers
import Metrics
import NIOCore
import Store
import Synchronization
import Tiles

/// The citizens' hot path: a public tile that was already served to an anonymous caller is answered
/// again before routing and the middleware chain, from memory, as long as its layers' versions have
/// not moved (checked on every request through `LayerVersionWatch`, so no stale tile is served
/// after a re-ingest commits).
///
/// Only plain anonymous GETs qualify: no Authorization header, no query string (tokens in URLs are
/// refused by the full path), no `Origin` (CORS is answered by the full path). The rate limit,
/// per-layer access counts and request metrics apply here as on the full path; everything else —
/// a first render, a signed-in caller, archives, errors — goes the full way.
final class PublicTileShortcut: Sendable {
    /// One remembered answer: the bytes both ways, its validator and what it was drawn from.
    struct Entry: Sendable {
        /// gzip'd MVT; nil for an empty tile (204).
        var gzipped: ByteBuffer?
        /// The same tile inflated, for clients without gzip.
        var plain: ByteBuffer?
        var etag: String
        var layers: [LayerDefinition]
        /// The layers' versions the tile was drawn from, in `layers` order.
        var versions: [Int64]
        /// The watch generation at which `versions` were last found current.
        var generation: UInt64
        /// The answer's headers (all but Date), made once: gzip'd and inflated.
        var gzipHeaders: HTTPFields = [:], plainHeaders: HTTPFields = [:]

        var cost: Int { (gzipped?.readableBytes ?? 0) + (plain?.readableBytes ?? 0) + etag.utf8.count + 128 }
    }

    private let entries: Mutex<LRUCacheOfEntries>
    let watch: LayerVersionWatch
    let recorder: AccessRecorder
    let limits: RateLimitMiddleware
    /// Heads larger than this go the full way (which answers 431).
    let maxHeaderBytes: Int
    private let metrics: ShortcutMetrics

    typealias LRUCacheOfEntries = LRUCache<String, Entry>
    /// Tiles kept (both encodings counted): the hot public tiles of a city's map fit many times over.
    static let defaultMaxBytes = 32 << 20

    /// A shortcut keeping at most `maxBytes` of tiles (both encodings counted).
    init(maxBytes: Int, maxHeaderBytes: Int, watch: LayerVersionWatch, recorder: AccessRecorder, limits: RateLimitMiddleware) {
        entries = Mutex(LRUCache(capacity: maxBytes))
        self.maxHeaderBytes = maxHeaderBytes
        self.watch = watch; self.recorder = recorder; self.limits = limits
        metrics = ShortcutMetrics()
    }

    /// Remembers what the full path just answered an anonymous caller for `path` (`/tiles/...`).
    func remember(path: String, gzipped: Data?, plain: ByteBuffer?, etag: String, layers: [LayerDefinition],
                  versions: [String: Int64]) {
        guard let generation = try? watch.current().generation else { return }
        var entry = Entry(gzipped: gzipped.map { ByteBuffer(bytes: $0) }, plain: plain, etag: etag, layers: layers,
                          versions: layers.map { versions[$0.id] ?? 0 }, generation: generation)
        if let gzipped = entry.gzipped {
            var headers = TileRoutes.tileHeaders(etag: etag, isPublic: true)
            headers[.server] = "Chizu"
            entry.plainHeaders = headers
            headers[.contentEncoding] = "gzip"
            headers[.contentLength] = String(gzipped.readableBytes)
            entry.gzipHeaders = headers
        }
        entries.withLock { cache in
            // Keep the other encoding if the same tile was already remembered with it.
            if entry.plain == nil, let known = cache.get(path), known.etag == etag { entry.plain = known.plain }
            cache.set(path, entry, cost: entry.cost + path.utf8.count)
        }
    }

    /// True when `head` may be answered here (a plain anonymous GET of a tile); whether it is depends
    /// on what is remembered, checked by `answer` once the request has fully arrived.
    func mayAnswer(_ head: HTTPRequest) -> Bool {
        guard head.method == .get, let path = head.path, path.hasPrefix("/tiles/"), !path.utf8.contains(UInt8(ascii: "?")) else { return false }
        let fields = head.headerFields
        guard fields[.authorization] == nil, fields[.origin] == nil else { return false }
        if let connection = fields[.connection], connection.utf8.count >= 5, connection.lowercased().contains("close") { return false }
        // Oversized heads go the full way, which answers 431.
        return RequestLimitsMiddleware.headBytes(head) <= maxHeaderBytes
    }

    /// The answer to `head` from `peer`, or nil when the full path must answer it (nothing current is
    /// remembered, or the client is over its rate limit and gets its 429 from the full path).
    func answer(_ head: HTTPRequest, peer: String?) -> (HTTPResponse, ByteBuffer?)? {
        let start = DispatchTime.now().uptimeNanoseconds
        guard let path = head.path, let entry = try? current(path) else { return nil }
        let fields = head.headerFields
        let acceptsGzip = Responses.accepts(fields[.acceptEncoding], "gzip")
        if entry.gzipped != nil && !acceptsGzip && entry.plain == nil { return nil }   // the full path inflates it
        let client = limits.resolver.client(peer: peer, forwardedFor: fields[HTTPField.Name("X-Forwarded-For")!])
        if let limiter = limits.limiter(for: client), limiter.take(client) != nil { return nil }
        recorder.record(caller: .anonymous, layers: entry.layers, action: "tile", target: path, featureCount: 0)
        let (response, body) = Self.response(entry, ifNoneMatch: fields[.ifNoneMatch], acceptsGzip: acceptsGzip)
        metrics.record(response.status, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
        return (response, body)
    }

    /// The entry for `path` if its layers are still at the versions it was drawn from.
    private func current(_ path: String) throws -> Entry? {
        guard let found = entries.withLock({ $0.get(path) }) else { return nil }
        let now = try watch.current()
        if found.generation == now.generation { return found }
        guard found.layers.map({ now.versions[$0.id] ?? 0 }) == found.versions else {
            entries.withLock { $0.remove(path) }
            return nil
        }
        var renewed = found
        renewed.generation = now.generation
        entries.withLock { $0.set(path, renewed, cost: renewed.cost + path.utf8.count) }
        return renewed
    }

    static func response(_ entry: Entry, ifNoneMatch: String?, acceptsGzip: Bool) -> (HTTPResponse, ByteBuffer?) {
        var headers: HTTPFields = [.server: "Chizu", .date: HTTPDate.now()]
        if Responses.matches(ifNoneMatch, etag: entry.etag) {
            headers[.eTag] = entry.etag
            return (HTTPResponse(status: .notModified, headerFields: headers), nil)
        }
        guard let gzipped = entry.gzipped else { return (HTTPResponse(status: .noContent, headerFields: headers), nil) }
        if !acceptsGzip, let plain = entry.plain {
            headers = entry.plainHeaders
            headers[.contentLength] = String(plain.readableBytes)
            headers[.date] = HTTPDate.now()
            return (HTTPResponse(status: .ok, headerFields: headers), plain)
        }
        headers = entry.gzipHeaders
        headers[.date] = HTTPDate.now()
        return (HTTPResponse(status: .ok, headerFields: headers), gzipped)
    }
}

/// The request metrics Hummingbird's `MetricsMiddleware` keeps, for answers the shortcut gives.
private struct ShortcutMetrics: Sendable {
    let byStatus: [Int: (counter: Counter, timer: Timer)]

    init() {
        var m: [Int: (Counter, Timer)] = [:]
        for code in [200, 204, 304] {
            let dimensions = [("http.route", TileRoutes.tilePath), ("http.request.method", "GET"), ("http.response.status_code", String(code))]
            m[code] = (Counter(label: "hb.requests", dimensions: dimensions),
                       Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds))
        }
        byStatus = m
    }

    func record(_ status: HTTPResponse.Status, nanoseconds: UInt64) {
        guard let m = byStatus[status.code] else { return }
        m.counter.increment()
        m.timer.recordNanoseconds(nanoseconds)
    }
}
