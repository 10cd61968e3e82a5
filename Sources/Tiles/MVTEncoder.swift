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
        var w = MVTLayerWriter(name: layer.name, extent: layer.extent)
        var tags: [UInt32] = []
        for feature in layer.features {
            tags.removeAll(keepingCapacity: true)
            for (k, v) in feature.properties { tags.append(w.key(k)); tags.append(w.value(v)) }
            w.feature(id: feature.id, tags: tags, geometry: feature.geometry)
        }
        return w.finish()
    }

    /// The command-integer stream of a geometry.
    public static func commands(_ geometry: TileGeometry) -> [UInt32] {
        var out: [UInt32] = []
        commands(geometry, into: &out)
        return out
    }

    /// Appends the command-integer stream of a geometry to `out` (a buffer reused across features).
    static func commands(_ geometry: TileGeometry, into out: inout [UInt32]) {
        var cursor = TilePoint(0, 0)
        func command(_ id: UInt32, _ count: Int) { out.append(id & 0x7 | UInt32(count) << 3) }
        func param(_ p: TilePoint) {
            out.append(ZigZag.encode(p.x &- cursor.x)); out.append(ZigZag.encode(p.y &- cursor.y))
            cursor = p
        }
        switch geometry {
        case let .points(points):
            guard !points.isEmpty else { return }
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
    }
}

/// Writes one `Layer` message a feature at a time; keys and values are numbered in order of first use.
///
/// Values come either as `MVTValue`s (deduplicated by value) or as numbers in a table of distinct
/// values shared by the caller (deduplicated by number, which is cheaper); a layer uses one or the other.
struct MVTLayerWriter {
    private var w = ProtobufWriter(reservingCapacity: 1024)
    private var f = ProtobufWriter(reservingCapacity: 256)   // one feature's bytes at a time
    private var geometry: [UInt32] = []
    private var keys: [String] = [], keyIndex: [String: UInt32] = [:], keyByNumber: [UInt32] = []
    private var values: [MVTValue] = [], valueIndex: [MVTValue: UInt32] = [:], valueByNumber: NumberMap
    private let extent: UInt32

    /// A layer named `name`; `expectedValues` sizes the table of numbered values (a guess is fine).
    init(name: String, extent: UInt32, expectedValues: Int = 16) {
        self.extent = extent
        valueByNumber = NumberMap(capacity: expectedValues)
        w.uint(15, 2)        // version
        w.string(1, name)    // name
    }

    /// The layer's number for key `k`.
    mutating func key(_ k: String) -> UInt32 {
        if let i = keyIndex[k] { return i }
        let i = UInt32(keys.count)
        keyIndex[k] = i; keys.append(k)
        return i
    }

    /// The layer's number for the caller's key number `n` (named `k`), without hashing the name.
    mutating func key(number n: Int, _ k: String) -> UInt32 {
        if n < keyByNumber.count, keyByNumber[n] != .max { return keyByNumber[n] }
        if n >= keyByNumber.count { keyByNumber += repeatElement(.max, count: n + 1 - keyByNumber.count) }
        let i = key(k)
        keyByNumber[n] = i
        return i
    }

    /// The layer's number for value `v`.
    mutating func value(_ v: MVTValue) -> UInt32 {
        if let i = valueIndex[v] { return i }
        let i = UInt32(values.count)
        valueIndex[v] = i; values.append(v)
        return i
    }

    /// The layer's number for `table[n]`, where `table` holds distinct values.
    mutating func value(number n: Int32, of table: [MVTValue]) -> UInt32 {
        let i = valueByNumber.value(for: n, orInsert: UInt32(values.count))
        if i == values.count { values.append(table[Int(n)]) }
        return i
    }

    /// Writes one feature; `tags` are key and value numbers in pairs.
    mutating func feature(id: UInt64?, tags: [UInt32], geometry g: TileGeometry) {
        geometry.removeAll(keepingCapacity: true)
        MVTEncoder.commands(g, into: &geometry)
        f.reset()
        if let id { f.uint(1, id) }
        if !tags.isEmpty { f.packed(2, tags) }
        f.uint(3, g.mvtType)
        f.packed(4, geometry)
        w.bytes(2, f.bytes)
    }

    /// The finished `Layer` message.
    mutating func finish() -> [UInt8] {
        for k in keys { w.string(3, k) }
        for v in values { w.value(4, v) }
        w.uint(5, UInt64(extent))
        return w.bytes
    }
}

/// A map from non-negative Int32 numbers to UInt32, open addressing with linear probing: the encoder
/// looks a value number up for every property of every feature, and `Dictionary` hashes with SipHash.
struct NumberMap {
    private var keys: [Int32]
    private var values: [UInt32]
    private var count = 0
    private var shift: UInt32

    /// An empty map sized for about `capacity` entries (it grows past them).
    init(capacity: Int) {
        let bits = max(4, Int.bitWidth - (max(capacity, 8) * 2 - 1).leadingZeroBitCount)
        keys = Array(repeating: -1, count: 1 << bits)
        values = Array(repeating: 0, count: 1 << bits)
        shift = UInt32(32 - bits)
    }

    /// The value for `key`, or `new` after storing it when `key` is absent.
    mutating func value(for key: Int32, orInsert new: UInt32) -> UInt32 {
        let mask = keys.count - 1
        var slot = Int((UInt32(bitPattern: key) &* 0x9E37_79B1) >> shift)
        while true {
            let k = keys[slot]
            if k == key { return values[slot] }
            if k < 0 { break }
            slot = (slot + 1) & mask
        }
        keys[slot] = key; values[slot] = new
        count += 1
        if count * 2 > keys.count { grow() }
        return new
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.0 >= 0 }
        self = NumberMap(capacity: keys.count)
        for (k, v) in old { _ = value(for: k, orInsert: v) }
    }
}
