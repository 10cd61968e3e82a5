import Layers
import ServiceLifecycle
import Store
import Tiles

/// Keeps the in-memory tile indexes built: when the server starts and whenever a layer's version
/// moves (an ingest by this or any other process), in the background, so the first tile after either
/// does not wait while its layer is read (about half a second for a city's roads).
struct TileIndexWarmer: Service {
    let store: SpatialStore
    let catalog: LayerCatalog
    let indexes: LayerIndexCache
    /// How often the layer versions are looked at (a pread of the WAL-index header when nothing changed).
    let interval: Duration

    func run() async throws {
        var seen: UInt64?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            seen = warm(since: seen)
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }

    /// Builds the index of every layer whose version is not the one held, unless the versions are still
    /// at generation `seen`; returns the generation now warmed (or `seen` when the versions could not be read).
    @discardableResult
    func warm(since seen: UInt64?) -> UInt64? {
        guard let (versions, generation) = try? store.versionWatch.current() else { return seen }
        if generation == seen { return seen }
        for layer in catalog.layers {
            // A layer that fails to build now fails for its first tile too, with the error in that answer.
            _ = try? indexes.index(of: layer, version: versions[layer.id] ?? 0, store: store)
        }
        return generation
    }
}
