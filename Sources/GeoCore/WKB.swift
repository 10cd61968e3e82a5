import Foundation

/// Writes canonical WKB: ISO/OGC, little-endian, 2D.
enum WKBEncoder {
    static func encode(_ value: GeometryValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(value, into: &out)
        return out
    }

    private static func write(_ value: GeometryValue, into out: inout [UInt8]) {
        out.append(1)  // little-endian (NDR)
        put(value.geometryType.rawValue, into: &out)
        switch value {
        case let .point(c):
            put(c, into: &out)
        case let .lineString(cs):
            put(cs, into: &out)
        case let .polygon(rings):
            put(UInt32(rings.count), into: &out)
            for r in rings { put(r, into: &out) }
        case let .multiPoint(cs):
            put(UInt32(cs.count), into: &out)
            for c in cs { write(.point(c), into: &out) }
        case let .multiLineString(ls):
            put(UInt32(ls.count), into: &out)
            for l in ls { write(.lineString(l), into: &out) }
        case let .multiPolygon(ps):
            put(UInt32(ps.count), into: &out)
            for p in ps { write(.polygon(p), into: &out) }
        case let .geometryCollection(gs):
            put(UInt32(gs.count), into: &out)
            for g in gs { write(g, into: &out) }
        }
    }

    private static func put(_ v: UInt32, into out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func put(_ c: Coordinate, into out: inout [UInt8]) {
        // One NaN bit pattern for POINT EMPTY, so equal empty points have equal bytes.
        let c = c.isEmptyMarker ? Coordinate(x: .nan, y: .nan) : c
        withUnsafeBytes(of: c.x.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: c.y.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func put(_ cs: [Coordinate], into out: inout [UInt8]) {
        put(UInt32(cs.count), into: &out)
        for c in cs { put(c, into: &out) }
    }
}

/// Reads WKB in any common dialect: either byte order, ISO (Z/M/ZM type codes 1000–3999) or
/// PostGIS EWKB (Z/M/SRID flag bits). Z and M are dropped; the result is checked for structure.
struct WKBDecoder {
    /// Deeper nesting than this is refused so hostile input cannot exhaust the stack.
    static let maxDepth = 64

    private let bytes: [UInt8]
    private var offset = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Decodes a whole buffer; trailing bytes are an error. Returns the EWKB SRID when present.
    static func decode(_ bytes: [UInt8]) throws -> (value: GeometryValue, srid: Int32?) {
        var reader = WKBDecoder(bytes)
        let (value, srid) = try reader.readGeometry(depth: 0, expected: nil)
        if reader.offset != bytes.count {
            throw GeometryError.invalidWKB("\(bytes.count - reader.offset) unexpected bytes after the geometry, which ended at byte \(reader.offset)")
        }
        if let problem = value.structuralProblem { throw GeometryError.invalidWKB(problem) }
        return (value, srid)
    }

    private struct Header {
        var type: GeometryType
        var bigEndian: Bool
        var hasZ: Bool
        var hasM: Bool
        var dimensions: Int { 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0) }
    }

    /// Reads one geometry's header: byte order, type code (ISO dimensions or EWKB flags) and the EWKB SRID.
    private mutating func readHeader(depth: Int, expected: GeometryType?) throws -> (Header, Int32?) {
        guard depth < Self.maxDepth else {
            throw GeometryError.invalidWKB("geometry collections nested deeper than \(Self.maxDepth) levels at byte \(offset)")
        }
        let start = offset
        let order = try byte()
        guard order <= 1 else {
            throw GeometryError.invalidWKB("byte-order mark at byte \(start) is \(order), expected 0 (big-endian) or 1 (little-endian)")
        }
        let bigEndian = order == 0
        let raw = try uint32(bigEndian)
        var hasZ = raw & 0x8000_0000 != 0
        var hasM = raw & 0x4000_0000 != 0
        let hasSRID = raw & 0x2000_0000 != 0
        let code = raw & 0x0FFF_FFFF
        switch code / 1000 {
        case 0: break
        case 1: hasZ = true
        case 2: hasM = true
        case 3: hasZ = true; hasM = true
        default:
            throw GeometryError.invalidWKB("unknown geometry type code \(raw) at byte \(start + 1)")
        }
        guard let type = GeometryType(rawValue: code % 1000) else {
            throw GeometryError.invalidWKB("unknown geometry type code \(raw) at byte \(start + 1)")
        }
        if let expected, expected != type {
            throw GeometryError.invalidWKB("\(expected.name) expected at byte \(start), found \(type.name)")
        }
        let srid: Int32? = hasSRID ? Int32(bitPattern: try uint32(bigEndian)) : nil
        return (Header(type: type, bigEndian: bigEndian, hasZ: hasZ, hasM: hasM), srid)
    }

    /// The type code of a geometry as SpatiaLite and ISO number it (type + 1000 Z, + 2000 M), from its header alone.
    static func typeCode(_ bytes: [UInt8]) throws -> Int {
        var reader = WKBDecoder(bytes)
        let (h, _) = try reader.readHeader(depth: 0, expected: nil)
        return Int(h.type.rawValue) + (h.hasZ ? 1000 : 0) + (h.hasM ? 2000 : 0)
    }

    /// The bounding box of a whole buffer, walked in place (no coordinate arrays built); nil when every
    /// position is empty (NaN). Malformed input is refused as `decode` refuses it.
    static func envelope(_ bytes: [UInt8]) throws -> BoundingBox? {
        var reader = WKBDecoder(bytes)
        var box: BoundingBox?
        try reader.walk(depth: 0, into: &box)
        if reader.offset != bytes.count {
            throw GeometryError.invalidWKB("\(bytes.count - reader.offset) unexpected bytes after the geometry, which ended at byte \(reader.offset)")
        }
        return box
    }

    private mutating func walk(depth: Int, into box: inout BoundingBox?) throws {
        let (h, _) = try readHeader(depth: depth, expected: nil)
        func add(_ c: Coordinate) {
            guard !c.x.isNaN, !c.y.isNaN else { return }   // POINT EMPTY is written as NaN, NaN
            let point = BoundingBox(minX: c.x, minY: c.y, maxX: c.x, maxY: c.y)
            box = box?.union(point) ?? point
        }
        switch h.type {
        case .point:
            add(try coordinate(h))
        case .lineString:
            for _ in 0..<(try count(h, minimumBytesEach: 8 * h.dimensions, what: "positions")) { add(try coordinate(h)) }
        case .polygon:
            for _ in 0..<(try count(h, minimumBytesEach: 4, what: "rings")) {
                for _ in 0..<(try count(h, minimumBytesEach: 8 * h.dimensions, what: "positions")) { add(try coordinate(h)) }
            }
        case .multiPoint, .multiLineString, .multiPolygon, .geometryCollection:
            for _ in 0..<(try count(h, minimumBytesEach: 9, what: "geometries")) { try walk(depth: depth + 1, into: &box) }
        }
    }

    private mutating func readGeometry(depth: Int, expected: GeometryType?) throws -> (GeometryValue, Int32?) {
        let (h, srid) = try readHeader(depth: depth, expected: expected)
        let type = h.type
        let value: GeometryValue
        switch type {
        case .point:
            value = .point(try coordinate(h))
        case .lineString:
            value = .lineString(try coordinates(h))
        case .polygon:
            let n = try count(h, minimumBytesEach: 4, what: "rings")
            value = .polygon(try (0..<n).map { _ in try coordinates(h) })
        case .multiPoint:
            let n = try count(h, minimumBytesEach: 21, what: "points")
            value = .multiPoint(try (0..<n).map { _ in
                guard case let .point(c) = try readGeometry(depth: depth + 1, expected: .point).0 else { preconditionFailure() }
                return c
            })
        case .multiLineString:
            let n = try count(h, minimumBytesEach: 9, what: "line strings")
            value = .multiLineString(try (0..<n).map { _ in
                guard case let .lineString(cs) = try readGeometry(depth: depth + 1, expected: .lineString).0 else { preconditionFailure() }
                return cs
            })
        case .multiPolygon:
            let n = try count(h, minimumBytesEach: 9, what: "polygons")
            value = .multiPolygon(try (0..<n).map { _ in
                guard case let .polygon(rings) = try readGeometry(depth: depth + 1, expected: .polygon).0 else { preconditionFailure() }
                return rings
            })
        case .geometryCollection:
            let n = try count(h, minimumBytesEach: 9, what: "geometries")
            value = .geometryCollection(try (0..<n).map { _ in try readGeometry(depth: depth + 1, expected: nil).0 })
        }
        return (value, srid)
    }

    private mutating func need(_ n: Int) throws {
        if bytes.count - offset < n {
            throw GeometryError.invalidWKB("unexpected end of data at byte \(offset): needed \(n) more bytes, \(bytes.count - offset) left")
        }
    }

    private mutating func byte() throws -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func uint32(_ bigEndian: Bool) throws -> UInt32 {
        try need(4)
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
        offset += 4
        return bigEndian ? v.byteSwapped : v
    }

    private mutating func double(_ bigEndian: Bool) throws -> Double {
        try need(8)
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return Double(bitPattern: bigEndian ? v.byteSwapped : v)
    }

    private mutating func coordinate(_ h: Header) throws -> Coordinate {
        try need(8 * h.dimensions)
        let x = try double(h.bigEndian), y = try double(h.bigEndian)
        offset += 8 * (h.dimensions - 2)  // Z and/or M are dropped
        return Coordinate(x: x, y: y)
    }

    /// A count whose elements must fit in the remaining bytes, so a corrupt count cannot allocate gigabytes.
    private mutating func count(_ h: Header, minimumBytesEach: Int, what: String) throws -> Int {
        let at = offset
        let n = Int(try uint32(h.bigEndian))
        if n > (bytes.count - offset) / minimumBytesEach {
            throw GeometryError.invalidWKB("count of \(n) \(what) at byte \(at) cannot fit in the \(bytes.count - offset) bytes left")
        }
        return n
    }

    private mutating func coordinates(_ h: Header) throws -> [Coordinate] {
        let n = try count(h, minimumBytesEach: 8 * h.dimensions, what: "positions")
        var out: [Coordinate] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try coordinate(h)) }
        return out
    }
}

extension Geometry {
    /// Reads WKB in either byte order, ISO or EWKB, 2D/Z/M/ZM (Z and M dropped; any SRID ignored).
    public init(wkb: [UInt8]) throws {
        self.init(canonicalWKB: WKBEncoder.encode(try WKBDecoder.decode(wkb).value))
    }

    /// Reads WKB from `Data`; see `init(wkb: [UInt8])`.
    public init(wkb: Data) throws {
        try self.init(wkb: [UInt8](wkb))
    }

    /// Reads hexadecimal WKB or EWKB (as printed by PostGIS and SpatiaLite), case-insensitive.
    public init(wkbHex: String) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(wkbHex.utf8.count / 2)
        var high: UInt8?
        for (i, ch) in wkbHex.utf8.enumerated() {
            let nibble: UInt8
            switch ch {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = ch - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = ch - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = ch - UInt8(ascii: "A") + 10
            default: throw GeometryError.invalidWKB("character \(i) of the hex string is not a hex digit")
            }
            if let h = high { bytes.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        if high != nil { throw GeometryError.invalidWKB("hex string has an odd number of digits") }
        try self.init(wkb: bytes)
    }

    /// Reads EWKB (or plain WKB) and returns the embedded SRID too, nil when the SRID flag is absent.
    public static func fromEWKB(_ bytes: [UInt8]) throws -> (geometry: Geometry, srid: Int32?) {
        let (value, srid) = try WKBDecoder.decode(bytes)
        return (Geometry(canonicalWKB: WKBEncoder.encode(value)), srid)
    }

    /// The canonical WKB as `Data`.
    public var wkbData: Data { Data(wkb) }

    /// The canonical WKB as upper-case hexadecimal.
    public var wkbHex: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(wkb.count * 2)
        for b in wkb { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}


/// Facts read from WKB without decoding it into a geometry (for bulk loads).
public enum WKB {
    /// The geometry type code as SpatiaLite's `geometry_columns` and ISO number it: 1–7, + 1000 with Z,
    /// + 2000 with M (EWKB flags folded in). Reads the header only.
    public static func typeCode(_ wkb: [UInt8]) throws -> Int { try WKBDecoder.typeCode(wkb) }

    /// The bounding box of the geometry, walked in place; nil when it is empty.
    public static func envelope(_ wkb: [UInt8]) throws -> BoundingBox? { try WKBDecoder.envelope(wkb) }
}

extension GeometryValue {
    /// Decodes WKB (either byte order, ISO or EWKB, Z/M dropped) straight into a structure, without
    /// building a canonical `Geometry`: the fast path for encoders that only walk coordinates.
    public init(wkb: [UInt8]) throws {
        self = try WKBDecoder.decode(wkb).value
    }
}
