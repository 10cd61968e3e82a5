import Layers

/// What a caller may see in tiles: which internal layers, and which layers' internal fields.
///
/// Public layers and public fields are visible to everyone. The server builds this from the
/// caller's token; `.public` is the anonymous citizen (公開型GIS).
public struct TileAccess: Hashable, Sendable {
    /// Internal layers the caller may see (public layers are always visible).
    public var internalLayers: Set<String>
    /// Layers whose internal fields the caller may see.
    public var internalFieldLayers: Set<String>

    /// Rights from explicit layer sets.
    public init(internalLayers: Set<String> = [], internalFieldLayers: Set<String> = []) {
        self.internalLayers = internalLayers; self.internalFieldLayers = internalFieldLayers
    }

    /// Anonymous access: public layers, public fields only.
    public static let `public` = TileAccess()

    /// Everything in the catalog, every field (administrators, the archive builder's `--internal`).
    public static func everything(in catalog: LayerCatalog) -> TileAccess {
        let ids = Set(catalog.layers.map(\.id))
        return TileAccess(internalLayers: ids, internalFieldLayers: ids)
    }

    /// A department's rights: its own internal layers and the internal fields of layers it owns.
    public static func department(_ name: String, in catalog: LayerCatalog) -> TileAccess {
        let own = Set(catalog.layers.filter { $0.department == name }.map(\.id))
        return TileAccess(internalLayers: own, internalFieldLayers: own)
    }

    /// True when the caller may see the layer at all.
    public func canSee(_ layer: LayerDefinition) -> Bool {
        layer.access == .public || internalLayers.contains(layer.id)
    }

    /// The layer's fields the caller may see, in definition order.
    public func fields(of layer: LayerDefinition) -> [FieldDefinition] {
        layer.visibleFields(includeInternal: internalFieldLayers.contains(layer.id))
    }
}

extension TileAccess {
    /// What this caller sees, by the same rules as every other endpoint (owner, `shared_with`, admin).
    public static func caller(_ caller: Caller, in catalog: LayerCatalog) -> TileAccess {
        TileAccess(internalLayers: Set(catalog.layers.filter { $0.access == .internal && $0.isVisible(to: caller) }.map(\.id)),
                   internalFieldLayers: Set(catalog.layers.filter { $0.seesInternal(caller) }.map(\.id)))
    }
}
