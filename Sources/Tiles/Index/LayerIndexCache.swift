import Layers
import Store
import Synchronization

/// The in-memory layer indexes a renderer keeps: for each of at most `capacity` layers (least recently
/// used go first), the index of the newest version asked for.
///
/// A layer's index is built by one caller at a time; others asking for the same layer meanwhile wait
/// for it rather than read the layer again. Tiles ask with the version they read from the store, and an
/// index of any other version is rebuilt, so a re-ingest never yields a stale tile.
public final class LayerIndexCache: Sendable {
    /// One layer's current index; its own lock is held while the index is (re)built.
    private final class Slot: Sendable {
        let index = Mutex<LayerTileIndex?>(nil)
    }

    /// Slots by layer id with the tick of their last use (a handful of layers: eviction scans them).
    private let slots = Mutex<(byLayer: [String: (slot: Slot, used: UInt64)], tick: UInt64)>(([:], 0))
    /// How many layers' indexes are kept.
    public let capacity: Int

    /// A cache holding the indexes of at most `capacity` layers.
    public init(capacity: Int = 32) { self.capacity = max(1, capacity) }

    /// The index of `layer` at `version`, built from `store` unless held. The result's version is the one
    /// its snapshot read, which differs from `version` only when a write landed in between (then newer).
    public func index(of layer: LayerDefinition, version: Int64, store: SpatialStore) throws -> LayerTileIndex {
        let capacity = self.capacity
        let slot = slots.withLock { state in
            state.tick += 1
            let s = state.byLayer[layer.id]?.slot ?? Slot()
            state.byLayer[layer.id] = (s, state.tick)
            if state.byLayer.count > capacity, let oldest = state.byLayer.min(by: { $0.value.used < $1.value.used }) {
                state.byLayer[oldest.key] = nil
            }
            return s
        }
        return try slot.index.withLock { held in
            if let held, held.version == version, held.fieldNames == layer.fields.map(\.name) { return held }
            held = nil   // let the old version go before the new one is read
            let built = try LayerTileIndex.build(layer, store: store)
            held = built
            return built
        }
    }

    /// The indexes held now (for memory reports and tests).
    public var held: [LayerTileIndex] {
        slots.withLock { $0.byLayer.values.map(\.slot) }.compactMap { slot in slot.index.withLock { $0 } }
    }
}
