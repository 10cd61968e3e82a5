import Foundation
import GeoCore
import Layers
import Store
import TestSupport
@testable import Tiles

/// A real SpatiaLite database in a temporary folder with the shipped layers plus a test polygon layer.
struct TileFixture {
    let dir: URL
    let store: SpatialStore
    let catalog: LayerCatalog

    static let parcelsYAML = """
        id: parcels
        title: {ja: 公園区域, en: Park areas}
        description: {ja: テスト用の面レイヤ, en: Test polygon layer}
        geometry: polygon
        storage_crs: EPSG:6677
        access: public
        department: parks
        key: parcel_id
        license: CC-BY-4.0
        attribution: テスト
        extent: [139.19, 35.33, 139.40, 35.49]
        zoom: {min: 10, max: 18}
        source: {files: ["parcels.geojson"], format: ogr, encoding: utf-8}
        fields:
          - {name: parcel_id, source: id, type: text, required: true, label: {ja: 番号, en: ID}}
          - {name: area_m2, source: area, type: real, label: {ja: 面積, en: Area}}
          - {name: manager, source: manager, type: text, label: {ja: 管理者, en: Manager}, visibility: internal}
        """

    init() throws {
        dir = try TestSupport.temporaryDirectory("tiles")
        let shipped = try LayerCatalog.load(directory: TestSupport.repositoryRoot.appendingPathComponent("layers"))
        let parcels = try LayerCatalog.parse(yaml: Self.parcelsYAML, file: "parcels.yaml")
        catalog = LayerCatalog(layers: shipped.layers + [parcels])
        store = try SpatialStore(path: dir.appendingPathComponent("chizu.sqlite").path, create: true)
        try store.ensureLayers(catalog.layers)
    }

    func layer(_ id: String) -> LayerDefinition { catalog.layer(id)! }
    func cleanUp() { try? FileManager.default.removeItem(at: dir) }

    var renderer: TileRenderer { TileRenderer(store: store, catalog: catalog) }

    @discardableResult
    func load(_ layer: String, _ features: [FeatureRecord]) throws -> LoadResult {
        try store.load(features, into: self.layer(layer), mode: .replace,
                       source: RunSource(files: ["test"], checksum: "x", startedAt: Date()), counts: RunCounts())
    }

    /// EPSG:6677 position of a lon/lat.
    static func jgd(_ lon: Double, _ lat: Double) -> Coordinate {
        try! CoordinateTransformer.between(.wgs84, .jgd2011ZoneIX).transform(Coordinate(x: lon, y: lat))
    }

    static func pointWKB(_ lon: Double, _ lat: Double) -> [UInt8] { Geometry.point(jgd(lon, lat)).wkb }

    static func lineWKB(_ lonLats: [(Double, Double)]) -> [UInt8] {
        try! Geometry(.lineString(lonLats.map { jgd($0.0, $0.1) })).wkb
    }

    static func polygonWKB(_ rings: [[(Double, Double)]]) -> [UInt8] {
        try! Geometry(.polygon(rings.map { $0.map { jgd($0.0, $0.1) } })).wkb
    }

    func camera(_ id: String, _ lon: Double, _ lat: Double, model: String = "XC-1") -> FeatureRecord {
        FeatureRecord(properties: ["camera_id": .text(id), "place": .text("駅前"), "cloud_recording": .boolean(true),
                                   "model": .text(model), "direction": .text("北")],
                      wkb: Self.pointWKB(lon, lat))
    }

    /// Isehara station, roughly.
    static let station = (lon: 139.3145, lat: 35.3959)
    static func tile(_ z: Int, at p: (lon: Double, lat: Double) = station) -> TileKey {
        try! TileKey.containing(lonLat: Coordinate(x: p.lon, y: p.lat), zoom: z)
    }
}

/// A small MVT decoder for tests (the production code only encodes).
struct DecodedTile {
    struct Feature { var id: UInt64?; var type: Int; var properties: [String: DecodedValue]; var geometry: [UInt32] }
    struct Layer { var name: String; var extent: Int; var keys: [String]; var values: [DecodedValue]; var features: [Feature] }
    enum DecodedValue: Hashable { case string(String), int(Int64), double(Double), bool(Bool) }
    var layers: [Layer] = []

    init(_ data: Data) throws {
        var r = Reader(bytes: [UInt8](data))
        while let (field, wire) = try r.tag() {
            if field == 3 { layers.append(try Self.layer(try r.bytes())) } else { try r.skip(wire) }
        }
    }

    func layer(_ name: String) -> Layer? { layers.first { $0.name == name } }

    static func layer(_ bytes: [UInt8]) throws -> Layer {
        var r = Reader(bytes: bytes)
        var l = Layer(name: "", extent: 4096, keys: [], values: [], features: [])
        var raw: [[UInt8]] = []
        while let (field, wire) = try r.tag() {
            switch field {
            case 1: l.name = String(decoding: try r.bytes(), as: UTF8.self)
            case 2: raw.append(try r.bytes())
            case 3: l.keys.append(String(decoding: try r.bytes(), as: UTF8.self))
            case 4: l.values.append(try value(try r.bytes()))
            case 5: l.extent = Int(try r.varint())
            default: try r.skip(wire)
            }
        }
        for fb in raw {
            var fr = Reader(bytes: fb)
            var f = Feature(id: nil, type: 0, properties: [:], geometry: [])
            while let (field, wire) = try fr.tag() {
                switch field {
                case 1: f.id = try fr.varint()
                case 2: let tags = try fr.packed(); for i in stride(from: 0, to: tags.count, by: 2) { f.properties[l.keys[Int(tags[i])]] = l.values[Int(tags[i + 1])] }
                case 3: f.type = Int(try fr.varint())
                case 4: f.geometry = try fr.packed()
                default: try fr.skip(wire)
                }
            }
            l.features.append(f)
        }
        return l
    }

    static func value(_ bytes: [UInt8]) throws -> DecodedValue {
        var r = Reader(bytes: bytes)
        guard let (field, _) = try r.tag() else { throw DecodeError() }
        switch field {
        case 1: return .string(String(decoding: try r.bytes(), as: UTF8.self))
        case 3: return .double(Double(bitPattern: try r.fixed64()))
        case 4: return .int(Int64(bitPattern: try r.varint()))
        case 6: let z = try r.varint(); return .int(Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
        case 7: return .bool(try r.varint() != 0)
        default: throw DecodeError()
        }
    }

    /// Decodes a command stream to rings/lines of absolute positions.
    static func paths(_ commands: [UInt32]) -> [[TilePoint]] {
        var out: [[TilePoint]] = [], cur: [TilePoint] = []
        var x: Int32 = 0, y: Int32 = 0, i = 0
        while i < commands.count {
            let id = commands[i] & 7, count = Int(commands[i] >> 3); i += 1
            switch id {
            case 1, 2:
                for _ in 0..<count {
                    if id == 1, !cur.isEmpty { out.append(cur); cur = [] }
                    x += ZigZag.decode(commands[i]); y += ZigZag.decode(commands[i + 1]); i += 2
                    cur.append(TilePoint(x, y))
                }
            default: if let f = cur.first { cur.append(f) }
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    struct DecodeError: Error {}

    struct Reader {
        let buf: [UInt8]; var pos = 0
        init(bytes: [UInt8]) { buf = bytes }
        mutating func varint() throws -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard pos < buf.count else { throw DecodeError() }
                let b = buf[pos]; pos += 1
                v |= UInt64(b & 0x7f) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        mutating func tag() throws -> (Int, UInt64)? {
            guard pos < buf.count else { return nil }
            let t = try varint(); return (Int(t >> 3), t & 7)
        }
        mutating func bytes() throws -> [UInt8] {
            let n = Int(try varint()); defer { pos += n }
            guard pos + n <= buf.count else { throw DecodeError() }
            return Array(buf[pos..<pos + n])
        }
        mutating func fixed64() throws -> UInt64 {
            guard pos + 8 <= buf.count else { throw DecodeError() }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(buf[pos + i]) << (8 * UInt64(i)) }
            pos += 8; return v
        }
        mutating func packed() throws -> [UInt32] {
            var inner = Reader(bytes: try bytes()); var out: [UInt32] = []
            while inner.pos < inner.buf.count { out.append(UInt32(try inner.varint())) }
            return out
        }
        mutating func skip(_ wire: UInt64) throws {
            switch wire {
            case 0: _ = try varint()
            case 1: pos += 8
            case 2: _ = try bytes()
            case 5: pos += 4
            default: throw DecodeError()
            }
        }
    }
}

extension TileFixture {
    static func temporary() throws -> URL { try TestSupport.temporaryDirectory("tiles") }
}
