import Layers

/// One layer of a tileset as a caller sees it: the definition and the fields it may see.
public struct TilesetLayer: Hashable, Sendable {
    public let definition: LayerDefinition
    public let fields: [FieldDefinition]
    /// The layer id, also the MVT layer name.
    public var id: String { definition.id }
    /// True when this layer draws at `zoom` (the definition's min/max zoom).
    public func isActive(at zoom: Int) -> Bool { (definition.minZoom...definition.maxZoom).contains(zoom) }
}

/// A set of layers served together as one tile pyramid (one MVT layer per layer), resolved for a caller.
///
/// Ids: `public` (every public layer), `all` (everything the caller may see), or a layer id.
/// Group names take precedence over a layer of the same id.
public struct Tileset: Hashable, Sendable {
    /// The group or layer id.
    public let id: String
    /// The layers the caller may see, in catalog order.
    public let layers: [TilesetLayer]

    /// The group names that are not layer ids.
    public static let groups = ["public", "all"]

    /// Resolves `id` for a caller; throws `unknownTileset` or, for an internal layer it may not see, `forbidden`.
    public static func resolve(_ id: String, catalog: LayerCatalog, access: TileAccess) throws(TilesError) -> Tileset {
        let chosen: [LayerDefinition]
        switch id {
        case "public": chosen = catalog.layers.filter { $0.access == .public }
        case "all": chosen = catalog.layers.filter(access.canSee)
        default:
            guard let layer = catalog.layer(id) else {
                throw .unknownTileset(id, known: groups + catalog.layers.map(\.id))
            }
            guard access.canSee(layer) else { throw .forbidden(tileset: id) }
            chosen = [layer]
        }
        return Tileset(id: id, layers: chosen.map { TilesetLayer(definition: $0, fields: access.fields(of: $0)) })
    }

    /// The lowest zoom any layer draws at (0 when empty).
    public var minZoom: Int { layers.map(\.definition.minZoom).min() ?? 0 }
    /// The highest zoom any layer draws at (0 when empty).
    public var maxZoom: Int { layers.map(\.definition.maxZoom).max() ?? 0 }

    /// The layers that draw at `zoom`.
    public func layers(at zoom: Int) -> [TilesetLayer] { layers.filter { $0.isActive(at: zoom) } }

    /// What this resolved view shows, as a short stable string: two callers with the same view get
    /// the same tiles, callers with different views never share a cached tile.
    public var viewKey: String {
        layers.map { l in
            let hidden = l.definition.fields.count - l.fields.count
            return hidden == 0 ? "\(l.id)+all" : "\(l.id)+" + l.fields.map(\.name).joined(separator: ",")
        }.joined(separator: ";")
    }
}
