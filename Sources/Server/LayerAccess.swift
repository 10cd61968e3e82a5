import Foundation
import Hummingbird
import Layers
import Store

/// The catalog and store as the server sees them, with every lookup checked against the caller.
public struct LayerAccess: Sendable {
    public let catalog: LayerCatalog
    public let store: SpatialStore

    /// The layer, if it exists and the caller may see it; otherwise the same 404 as for a layer that
    /// does not exist (internal layers do not exist for the public).
    func layer(_ id: String, for caller: Caller) throws -> LayerDefinition {
        guard let layer = catalog.layer(id), layer.isVisible(to: caller) else {
            throw Problem.notFound("no collection '\(id)'")
        }
        return layer
    }

    /// The layers the caller may see, in catalog order.
    func layers(for caller: Caller) -> [LayerDefinition] { catalog.layers.filter { $0.isVisible(to: caller) } }

    /// A short, stable description of what the caller sees, for cache keys and ETags.
    static func rightsClass(_ caller: Caller, _ layer: LayerDefinition) -> String {
        layer.seesInternal(caller) ? "internal" : "public"
    }
}
