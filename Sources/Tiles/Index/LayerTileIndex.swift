import GeoCore
import Layers
import Store

/// One layer version held in memory for tiles: every feature's fid, field values already as MVT values
/// and geometry already in EPSG:3857, with its Mercator bounds in a packed R-tree.
///
/// Built once per layer version from one read snapshot (so `version` names exactly these features) and
/// never changed: a re-ingest makes a new index. Geometry lives in flat arrays (one coordinate buffer
/// and offsets), not arrays of arrays, so a city's layer is a handful of allocations.
public final class LayerTileIndex: Sendable {
    /// The layer's id.
    public let layerId: String
    /// The layer version the features were read at.
    public let version: Int64
    /// Every field of the layer, in definition order (a tileset picks those its caller may see).
    public let fieldNames: [String]
    /// Features whose geometry could not be reprojected or decoded; they are absent from every tile.
    public let skippedFeatures: Int

    /// Feature `i`'s fid; features are in fid order, so position order is fid order.
    let fids: [Int64]
    /// Feature `i`'s bounds in EPSG:3857.
    let bounds: [BoundingBox]
    /// Feature `i`'s stored geometry type (collections are kept as the layer dimension's multi-type).
    let types: [GeometryType]
    /// Feature `i`'s parts are `partStart[i]..<partStart[i + 1]`; part `p`'s rings (a point or a line is
    /// one ring) are `ringStart[p]..<ringStart[p + 1]`; ring `r`'s positions are `coordStart[r]..<coordStart[r + 1]`.
    let partStart: [Int32], ringStart: [Int32], coordStart: [Int32]
    /// Every position of every feature, EPSG:3857 metres.
    let coords: [Coordinate]
    /// The distinct non-null field values of the layer.
    let values: [MVTValue]
    /// Feature `i`'s value of field `j` is `values[valueIds[i * fieldNames.count + j]]`; `-1` is null.
    let valueIds: [Int32]
    let tree: PackedRTree

    /// Number of features held.
    public var count: Int { fids.count }

    /// Roughly the bytes this index holds (arrays' elements; strings of `values` counted by their UTF-8).
    public var memoryBytes: Int {
        let perFeature = 8 + MemoryLayout<BoundingBox>.stride * 2 + 1 + 4
        let strings = values.reduce(0) { if case let .string(s) = $1 { $0 + s.utf8.count + 16 } else { $0 + 16 } }
        return count * perFeature + (ringStart.count + coordStart.count + valueIds.count) * 4
            + coords.count * MemoryLayout<Coordinate>.stride + strings
    }

    private init(layerId: String, version: Int64, fieldNames: [String], skippedFeatures: Int, fids: [Int64],
                 bounds: [BoundingBox], types: [GeometryType], partStart: [Int32], ringStart: [Int32],
                 coordStart: [Int32], coords: [Coordinate], values: [MVTValue], valueIds: [Int32]) {
        self.layerId = layerId; self.version = version; self.fieldNames = fieldNames
        self.skippedFeatures = skippedFeatures; self.fids = fids; self.bounds = bounds; self.types = types
        self.partStart = partStart; self.ringStart = ringStart; self.coordStart = coordStart; self.coords = coords
        self.values = values; self.valueIds = valueIds
        tree = PackedRTree(bounds)
    }

    /// Reads every feature of `layer` in one snapshot and reprojects it once (pipeline step 2).
    public static func build(_ layer: LayerDefinition, store: SpatialStore) throws -> LayerTileIndex {
        let transformer = try CoordinateTransformer.between(layer.storageCRS, .webMercator)
        let dimension = TileRenderer.dimension(layer.geometryType)
        var b = Builder(fieldCount: layer.fields.count)
        let version = try store.forEachTileFeature(of: layer, fields: layer.fields) { feature in
            let value: GeometryValue
            do { value = try TilePipeline.reproject(feature.wkb, transformer: transformer) } catch is GeometryError {
                b.skipped += 1; return
            } catch is ProjectionError {
                b.skipped += 1; return
            }
            b.add(fid: feature.fid, geometry: value, dimension: dimension, values: feature.values)
        }
        return LayerTileIndex(layerId: layer.id, version: version, fieldNames: layer.fields.map(\.name),
                              skippedFeatures: b.skipped, fids: b.fids, bounds: b.bounds, types: b.types,
                              partStart: b.partStart, ringStart: b.ringStart, coordStart: b.coordStart,
                              coords: b.coords, values: b.values, valueIds: b.valueIds)
    }

    /// Accumulates features into the flat arrays.
    private struct Builder {
        let fieldCount: Int
        var skipped = 0
        var fids: [Int64] = [], bounds: [BoundingBox] = [], types: [GeometryType] = []
        var partStart: [Int32] = [0], ringStart: [Int32] = [0], coordStart: [Int32] = [0]
        var coords: [Coordinate] = []
        var interner = ValueInterner(), valueIds: [Int32] = []
        var values: [MVTValue] { interner.values }

        init(fieldCount: Int) { self.fieldCount = fieldCount }

        mutating func add(fid: Int64, geometry: GeometryValue, dimension: Int, values fieldValues: [FieldValue]) {
            let parts = geometry.parts(ofDimension: dimension)
            guard !parts.isEmpty, let box = BoundingBox(containing: geometry.coordinates) else { return }
            for part in parts {
                switch part {
                case let .point(c): appendRing([c])
                case let .lineString(cs): appendRing(cs)
                case let .polygon(rs): for r in rs { appendRing(r) }
                default: continue
                }
                ringStart.append(Int32(coordStart.count - 1))
            }
            partStart.append(Int32(ringStart.count - 1))
            fids.append(fid); bounds.append(box)
            types.append(geometry.geometryType == .geometryCollection ? [.multiPoint, .multiLineString, .multiPolygon][dimension]
                                                                         : geometry.geometryType)
            for v in fieldValues { valueIds.append(TilePipeline.mvtValue(v).map { interner.number($0) } ?? -1) }
        }

        private mutating func appendRing(_ cs: [Coordinate]) {
            coords.append(contentsOf: cs)
            coordStart.append(Int32(coords.count))
        }
    }

    /// The positions (in fid order) of the features whose bounds meet `box`.
    func search(_ box: BoundingBox) -> [Int32] {
        var out: [Int32] = []
        tree.search(box, into: &out)
        out.sort()
        return out
    }

    /// The positions of ring number `r` (rings are numbered across all features).
    func ring(_ r: Int) -> ArraySlice<Coordinate> { coords[Int(coordStart[r])..<Int(coordStart[r + 1])] }

    /// Feature `i`'s geometry as a value of its stored type, in EPSG:3857.
    public func geometry(_ i: Int) -> GeometryValue {
        let parts = Int(partStart[i])..<Int(partStart[i + 1])
        func rings(_ p: Int) -> [[Coordinate]] { (Int(ringStart[p])..<Int(ringStart[p + 1])).map { Array(ring($0)) } }
        switch types[i] {
        case .point: return .point(coords[Int(coordStart[Int(ringStart[parts.lowerBound])])])
        case .multiPoint: return .multiPoint(parts.map { coords[Int(coordStart[Int(ringStart[$0])])] })
        case .lineString: return .lineString(Array(ring(Int(ringStart[parts.lowerBound]))))
        case .multiLineString: return .multiLineString(parts.map { Array(ring(Int(ringStart[$0]))) })
        case .polygon: return .polygon(rings(parts.lowerBound))
        case .multiPolygon, .geometryCollection: return .multiPolygon(parts.map(rings))
        }
    }

    /// Feature `i`'s bounds in EPSG:3857.
    public func bounds(_ i: Int) -> BoundingBox { bounds[i] }

    /// Feature `i`'s fid.
    public func fid(_ i: Int) -> Int64 { fids[i] }

    /// Feature `i`'s value of field number `j` (in `fieldNames` order), nil for null.
    public func value(_ i: Int, field j: Int) -> MVTValue? {
        let id = valueId(i, field: j)
        return id < 0 ? nil : values[Int(id)]
    }

    /// Feature `i`'s value of field number `j` as a number in `values`, -1 for null.
    func valueId(_ i: Int, field j: Int) -> Int32 { valueIds[i * fieldNames.count + j] }
}
