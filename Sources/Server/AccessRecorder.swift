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

    /// Writes what is pending.
    public func flush() throws {
        let batch = pending.withLock { p in
            defer { p = ([], [:]) }
            return p
        }
        try store.record(audit: batch.audit, publicAccesses: batch.counts)
    }

    /// Flushes periodically until shutdown, then once more. The wait between flushes ends at once on
    /// shutdown, so a SIGTERM does not wait out the interval.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            try? flush()
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
