/// A minimal protocol-buffers writer: just what the Mapbox Vector Tile schema needs.
///
/// MVT uses five wire constructs (varint, zig-zag, 64-bit double, length-delimited bytes, packed
/// uint32). Writing them by hand is a few dozen lines, avoids generated code and an extra package,
/// and is faster than building message objects first (swift-protobuf is deliberately not used).
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    /// Empties the buffer, keeping its capacity.
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    enum WireType: UInt64 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ field: Int, _ wire: WireType) { varint(UInt64(field) << 3 | wire.rawValue) }

    mutating func uint(_ field: Int, _ value: UInt64) { tag(field, .varint); varint(value) }

    mutating func int64(_ field: Int, _ value: Int64) { tag(field, .varint); varint(UInt64(bitPattern: value)) }

    mutating func sint64(_ field: Int, _ value: Int64) { tag(field, .varint); varint(ZigZag.encode64(value)) }

    mutating func bool(_ field: Int, _ value: Bool) { tag(field, .varint); varint(value ? 1 : 0) }

    mutating func double(_ field: Int, _ value: Double) {
        tag(field, .fixed64)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bytes(_ field: Int, _ data: some Collection<UInt8>) {
        tag(field, .lengthDelimited)
        varint(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    mutating func string(_ field: Int, _ s: String) { bytes(field, s.utf8) }

    /// An MVT `Value` message, written in place (its length computed first).
    mutating func value(_ field: Int, _ v: MVTValue) {
        tag(field, .lengthDelimited)
        switch v {
        case let .string(s):
            let n = s.utf8.count
            varint(UInt64(1 + Self.varintSize(UInt64(n)) + n)); string(1, s)
        case let .double(d): varint(9); double(3, d)
        case let .int(i) where i >= 0: varint(UInt64(1 + Self.varintSize(UInt64(i)))); int64(4, i)
        case let .int(i): varint(UInt64(1 + Self.varintSize(ZigZag.encode64(i)))); sint64(6, i)
        case let .bool(b): varint(2); bool(7, b)
        }
    }

    /// A packed repeated uint32 field, written in place (its length computed first, no inner buffer).
    mutating func packed(_ field: Int, _ values: [UInt32]) {
        tag(field, .lengthDelimited)
        varint(UInt64(values.reduce(0) { $0 + Self.varintSize(UInt64($1)) }))
        for v in values { varint(UInt64(v)) }
    }

    /// The bytes a varint of `v` takes.
    static func varintSize(_ v: UInt64) -> Int { v == 0 ? 1 : (64 - v.leadingZeroBitCount + 6) / 7 }
}

/// Zig-zag encoding, which maps signed integers to unsigned ones so small magnitudes stay short.
public enum ZigZag {
    /// 0 → 0, −1 → 1, 1 → 2, −2 → 3 … (32-bit, as MVT geometry parameters use).
    public static func encode(_ n: Int32) -> UInt32 { UInt32(bitPattern: (n << 1) ^ (n >> 31)) }
    /// The inverse of `encode`.
    public static func decode(_ n: UInt32) -> Int32 { Int32(bitPattern: n >> 1) ^ -Int32(bitPattern: n & 1) }
    /// 64-bit zig-zag, as protobuf `sint64` uses.
    public static func encode64(_ n: Int64) -> UInt64 { UInt64(bitPattern: (n << 1) ^ (n >> 63)) }
}
