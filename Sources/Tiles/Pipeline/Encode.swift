import Layers

/// One feature of a tile after steps 1–7: where it is in its layer's index and its tile geometry.
public struct CutFeature: Sendable, Hashable {
    public var position: Int32
    public var geometry: TileGeometry
    /// Feature number `position` of its layer's index, cut to `geometry`.
    public init(position: Int32, geometry: TileGeometry) { self.position = position; self.geometry = geometry }
}

/// One tileset layer's features in a tile after steps 1–7, in fid order, before encoding.
public struct CutLayer: Sendable {
    public let layer: TilesetLayer
    public let index: LayerTileIndex
    public var features: [CutFeature]

    /// `features` of `layer`, positions being in `index`.
    public init(layer: TilesetLayer, index: LayerTileIndex, features: [CutFeature]) {
        self.layer = layer; self.index = index; self.features = features
    }

    /// The same layer as an `MVTLayer` (properties looked up, for inspection and tests).
    public func mvtLayer(extent: Int) -> MVTLayer {
        let fields = TilePipeline.fieldPositions(layer.fields, in: index)
        return MVTLayer(name: layer.id, extent: UInt32(extent), features: features.map { f in
            MVTFeature(id: UInt64(bitPattern: index.fid(Int(f.position))),
                       properties: TilePipeline.properties(of: Int(f.position), in: index, fields: fields), geometry: f.geometry)
        })
    }
}

extension TilePipeline {
    /// Step 8 — encode: the MVT bytes of a tile's layers (empty when no layer has a feature).
    ///
    /// Properties come straight from the index: a value is deduplicated by its number in the index's
    /// table of distinct values, so the bytes equal `MVTEncoder.encode` of the same layers as `MVTLayer`s.
    public static func encode(_ layers: [CutLayer], extent: Int) -> [UInt8] {
        var tile = ProtobufWriter(reservingCapacity: 4096)
        var tags: [UInt32] = []
        for layer in layers where !layer.features.isEmpty {
            let index = layer.index
            let fields = fieldPositions(layer.layer.fields, in: index)
            var w = MVTLayerWriter(name: layer.layer.id, extent: UInt32(extent), expectedValues: min(layer.features.count * fields.count, 4096))
            for f in layer.features {
                let i = Int(f.position)
                tags.removeAll(keepingCapacity: true)
                for (n, field) in fields.enumerated() {
                    guard let p = field.position else { continue }
                    let id = index.valueId(i, field: p)
                    if id >= 0 { tags.append(w.key(number: n, field.key)); tags.append(w.value(number: id, of: index.values)) }
                }
                w.feature(id: UInt64(bitPattern: index.fid(i)), tags: tags, geometry: f.geometry)
            }
            tile.bytes(3, w.finish())
        }
        return tile.bytes
    }
}
