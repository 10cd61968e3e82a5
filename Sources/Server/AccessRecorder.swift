import Foundation
import Layers
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Collects public accesses per layer per day (the city's yearly public-GIS figure) and the audit
/// log of internal-layer accesses, and writes them in batches so requests never wait on a write.
public final class AccessRecorder: Service, Sendable {
    let store: SpatialStore
    let interval: Duration
    private let pending = Mutex<Pending>(Pending())

    private struct Pending {
        var audit: [AuditEntry] = []
        var counts: [String: [String: Int]] = [:]
        /// The last day counted (its number and its JST date), so the date is not formatted per request.
        var day: (number: Int, text: String) = (Int.min, "")
        /// That day's counts per layer, not yet in `counts` (one dictionary update per access, not two).
        var today: [String: Int] = [:]

        /// Moves `today` into `counts`.
        mutating func settleToday() {
            guard !today.isEmpty else { return }
            for (layer, n) in today { counts[day.text, default: [:]][layer, default: 0] += n }
            today = [:]
        }
    }

    public init(store: SpatialStore, flushEvery interval: Duration = .seconds(5)) {
        self.store = store; self.interval = interval
    }

    /// Records one data access by `caller` to `layer`.
    public func record(caller: Caller, layer: LayerDefinition, action: String, target: String, featureCount: Int) {
        record(caller: caller, layers: CollectionOfOne(layer), action: action, target: target, featureCount: featureCount)
    }

    /// Records one access by `caller` to each of `layers` (a tile draws several), under one lock.
    public func record(caller: Caller, layers: some Sequence<LayerDefinition>, action: String, target: String, featureCount: Int) {
        let today = caller.isAnonymous ? Self.dayNumber(Date()) : 0
        pending.withLock { p in
            for layer in layers {
                if caller.isAnonymous {
                    if p.day.number != today { p.settleToday(); p.day = (today, Self.day(number: today)) }
                    p.today[layer.id, default: 0] += 1
                }
                if layer.access == .internal || (!caller.isAnonymous && layer.seesInternal(caller)) {
                    p.audit.append(AuditEntry(tokenId: caller.tokenId, department: caller.department, layer: layer.id, action: action,
                                              target: target, featureCount: featureCount))
                }
            }
        }
    }

    /// Most audit entries kept while the database cannot take them (a long ingest holding the write
    /// lock); beyond this the oldest go, and the loss is logged.
    static let maxPendingAudit = 200_000

    /// Writes what is pending. If the write fails (the database busy past its timeout), the batch is
    /// put back to go with the next flush: counts and audit entries are not lost to a slow ingest.
    public func flush() throws {
        let batch = pending.withLock { p in
            p.settleToday()
            defer { p.audit = []; p.counts = [:] }
            return (audit: p.audit, counts: p.counts)
        }
        if batch.audit.isEmpty && batch.counts.isEmpty { return }
        do {
            try store.record(audit: batch.audit, publicAccesses: batch.counts)
        } catch {
            pending.withLock { p in
                p.audit = batch.audit + p.audit
                if p.audit.count > Self.maxPendingAudit { p.audit.removeFirst(p.audit.count - Self.maxPendingAudit) }
                for (day, layers) in batch.counts {
                    for (layer, n) in layers { p.counts[day, default: [:]][layer, default: 0] += n }
                }
            }
            throw error
        }
    }

    /// Flushes periodically until shutdown, then once more. The wait between flushes ends at once on
    /// shutdown, so a SIGTERM does not wait out the interval.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            do { try flush() } catch {
                Logger(label: "chizu.server").warning("access log flush deferred", metadata: ["error": "\(error)"])
            }
        }
        try flush()
    }

    /// The day `d` falls on in JST (the city counts days in JST), as days since 1970-01-01.
    static func dayNumber(_ d: Date) -> Int {
        Int(((d.timeIntervalSince1970 + 9 * 3600) / 86400).rounded(.down))
    }

    /// The JST date `d` falls on, as YYYY-MM-DD.
    static func day(_ d: Date) -> String { day(number: dayNumber(d)) }

    /// Day `n` since 1970-01-01 as YYYY-MM-DD.
    static func day(number n: Int) -> String { CivilDate(daysSince1970: n).iso }
}
