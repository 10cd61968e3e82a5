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
    private let pending = Mutex<(audit: [AuditEntry], counts: [String: [String: Int]])>(([], [:]))

    public init(store: SpatialStore, flushEvery interval: Duration = .seconds(5)) {
        self.store = store; self.interval = interval
    }

    /// Records one data access by `caller` to `layer`.
    public func record(caller: Caller, layer: LayerDefinition, action: String, target: String, featureCount: Int) {
        let internalAccess = layer.access == .internal || (!caller.isAnonymous && layer.seesInternal(caller))
        pending.withLock { p in
            if caller.isAnonymous {
                p.counts[Self.day(Date()), default: [:]][layer.id, default: 0] += 1
            }
            if internalAccess {
                p.audit.append(AuditEntry(tokenId: caller.tokenId, department: caller.department, layer: layer.id, action: action,
                                          target: target, featureCount: featureCount))
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
            defer { p = ([], [:]) }
            return p
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

    static func day(_ d: Date) -> String {
        // The city counts days in JST.
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(secondsFromGMT: 9 * 3600)!
        let x = c.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", x.year!, x.month!, x.day!)
    }
}
