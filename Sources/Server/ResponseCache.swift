import Hummingbird
import HTTPTypes
import NIOCore
import Synchronization
import Tiles

/// Recently built item pages, keyed by everything that shapes the bytes: the ETag (layer version,
/// URL, format, the caller's rights class, live decorations' version) plus host and language.
/// A re-ingest bumps the layer version, so a stale page is never found again; a storm of citizens
/// asking for the same view costs one query. Bounded by bytes (LRU).
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        var contentType: String
        var headers: HTTPFields
        var body: [UInt8]
        /// Features in the page (for the access log of a cache hit).
        var featureCount: Int
    }

    private let lru: Mutex<LRUCache<String, Entry>>

    init(maxBytes: Int) { lru = Mutex(LRUCache(capacity: maxBytes)) }

    /// The key of a request whose response carries `etag`.
    static func key(_ request: Request, etag: String) -> String {
        etag + "|" + ServerBase.url(for: request) + "|" + request.language
    }

    func get(_ key: String) -> Entry? {
        guard lru.withLock({ $0.capacity }) > 0 else { return nil }
        return lru.withLock { $0.get(key) }
    }

    func set(_ key: String, _ entry: Entry) {
        lru.withLock { $0.set(key, entry, cost: entry.body.count + key.utf8.count + 256) }
    }
}
