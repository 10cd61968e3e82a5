import Foundation

/// An attribute value as MVT stores it (the `Value` message).
public enum MVTValue: Hashable, Sendable {
    case string(String)
    /// Written as `int_value` when ≥ 0 and as `sint_value` (zig-zag) when negative, so it stays short.
    case int(Int64)
    case double(Double)
    case bool(Bool)

    /// Hashing and equality by bit pattern for doubles, so NaN and −0.0 deduplicate predictably.
    public static func == (a: MVTValue, b: MVTValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.double(x), .double(y)): x.bitPattern == y.bitPattern
        case let (.bool(x), .bool(y)): x == y
        default: false
        }
    }

    /// Hashes doubles by bit pattern, matching `==`.
    public func hash(into h: inout Hasher) {
        switch self {
        case let .string(s): h.combine(0); h.combine(s)
        case let .int(i): h.combine(1); h.combine(i)
        case let .double(d): h.combine(2); h.combine(d.bitPattern)
        case let .bool(b): h.combine(3); h.combine(b)
        }
    }
}

/// One feature ready for encoding: id, ordered properties and a tile-coordinate geometry.
public struct MVTFeature: Hashable, Sendable {
    public var id: UInt64?
    public var properties: [(key: String, value: MVTValue)]
    public var geometry: TileGeometry

    /// A feature; `id` is the stored fid, properties keep their order.
    public init(id: UInt64?, properties: [(key: String, value: MVTValue)], geometry: TileGeometry) {
        self.id = id; self.properties = properties; self.geometry = geometry
    }

    /// Equal ids, geometries and properties in the same order.
    public static func == (a: MVTFeature, b: MVTFeature) -> Bool {
        a.id == b.id && a.geometry == b.geometry && a.properties.map(\.key) == b.properties.map(\.key)
            && a.properties.map(\.value) == b.properties.map(\.value)
    }

    /// Hashes what `==` compares.
    public func hash(into h: inout Hasher) {
        h.combine(id); h.combine(geometry)
        for p in properties { h.combine(p.key); h.combine(p.value) }
    }
}

/// One MVT layer: a name, an extent and its features.
public struct MVTLayer: Hashable, Sendable {
    public var name: String
    public var extent: UInt32
    public var features: [MVTFeature]

    /// A layer named as the tileset layer (the style's `source-layer`).
    public init(name: String, extent: UInt32 = 4096, features: [MVTFeature]) {
        self.name = name; self.extent = extent; self.features = features
    }
}

/// Encodes Mapbox Vector Tile 2.1 by hand (see `ProtobufWriter` for why not swift-protobuf).
///
/// Geometry commands: MoveTo (1), LineTo (2), ClosePath (7), as `id | count << 3`, parameters are
/// zig-zagged deltas from the cursor. Polygon rings are written without their closing point, the
/// exterior clockwise and holes counter-clockwise in tile coordinates (fixed here whatever the input).
public enum MVTEncoder {
    /// The bytes of a `Tile` message holding `layers` (layers without features are left out).
    public static func encode(_ layers: [MVTLayer]) -> [UInt8] {
        var tile = ProtobufWriter(reservingCapacity: 4096)
        for layer in layers where !layer.features.isEmpty {
            tile.bytes(3, encodeLayer(layer))
        }
        return tile.bytes
    }

    /// The bytes of one `Layer` message; keys and values are deduplicated across its features.
    static func encodeLayer(_ layer: MVTLayer) -> [UInt8] {
        var keys: [String] = [], keyIndex: [String: UInt32] = [:]
        var values: [MVTValue] = [], valueIndex: [MVTValue: UInt32] = [:]
        var w = ProtobufWriter(reservingCapacity: 1024)
        w.uint(15, 2)                 // version
        w.string(1, layer.name)       // name
        var tags: [UInt32] = []
        var f = ProtobufWriter(reservingCapacity: 256)   // reused: one feature's bytes at a time
        for feature in layer.features {
            tags.removeAll(keepingCapacity: true)
            for (k, v) in feature.properties {
                let ki: UInt32
                if let i = keyIndex[k] { ki = i } else { ki = UInt32(keys.count); keyIndex[k] = ki; keys.append(k) }
                let vi: UInt32
                if let i = valueIndex[v] { vi = i } else { vi = UInt32(values.count); valueIndex[v] = vi; values.append(v) }
                tags.append(ki); tags.append(vi)
            }
            f.reset()
            if let id = feature.id { f.uint(1, id) }
            if !tags.isEmpty { f.packed(2, tags) }
            f.uint(3, feature.geometry.mvtType)
            f.packed(4, commands(feature.geometry))
            w.bytes(2, f.bytes)       // features
        }
        for k in keys { w.string(3, k) }
        for v in values { w.bytes(4, encodeValue(v)) }
        w.uint(5, UInt64(layer.extent))
        return w.bytes
    }

    static func encodeValue(_ v: MVTValue) -> [UInt8] {
        var w = ProtobufWriter()
        switch v {
        case let .string(s): w.string(1, s)
        case let .double(d): w.double(3, d)
        case let .int(i): if i >= 0 { w.int64(4, i) } else { w.sint64(6, i) }
        case let .bool(b): w.bool(7, b)
        }
        return w.bytes
    }

    /// The command-integer stream of a geometry.
    public static func commands(_ geometry: TileGeometry) -> [UInt32] {
        var out: [UInt32] = []
        var cursor = TilePoint(0, 0)
        func command(_ id: UInt32, _ count: Int) { out.append(id & 0x7 | UInt32(count) << 3) }
        func param(_ p: TilePoint) {
            out.append(ZigZag.encode(p.x &- cursor.x)); out.append(ZigZag.encode(p.y &- cursor.y))
            cursor = p
        }
        switch geometry {
        case let .points(points):
            guard !points.isEmpty else { return [] }
            command(1, points.count)
            for p in points { param(p) }
        case let .lines(lines):
            for line in lines where line.count >= 2 {
                command(1, 1); param(line[0])
                command(2, line.count - 1)
                for p in line.dropFirst() { param(p) }
            }
        case let .polygons(polygons):
            for polygon in polygons {
                for (i, ring) in polygon.enumerated() {
                    let open = Array(ring.dropLast())   // MVT rings are implicitly closed
                    guard open.count >= 3 else { continue }
                    let area = signedDoubleArea(open)
                    let wantPositive = i == 0
                    let oriented = (area > 0) == wantPositive ? open : Array(open.reversed())
                    command(1, 1); param(oriented[0])
                    command(2, oriented.count - 1)
                    for p in oriented.dropFirst() { param(p) }
                    command(7, 1)
                }
            }
        }
        return out
    }
}
