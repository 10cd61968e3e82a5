/// The bounding box of a WKB geometry, read straight from its bytes (both byte orders; ISO and EWKB
/// Z/M dimensions; nested multi-geometries and collections) without building the geometry: what the
/// bulk load puts into the layer's R*Tree. Nil for an empty or unreadable geometry.
struct WKBEnvelope: Equatable {
    var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity

    init?(_ wkb: [UInt8]) {
        var offset = 0
        let ok = wkb.withUnsafeBytes { bytes in Self.scan(bytes, &offset, into: &self, depth: 0) }
        guard ok, minX <= maxX, minY <= maxY else { return nil }
    }

    init(minX: Double, maxX: Double, minY: Double, maxY: Double) {
        self.minX = minX; self.maxX = maxX; self.minY = minY; self.maxY = maxY
    }

    private static func scan(_ b: UnsafeRawBufferPointer, _ o: inout Int, into box: inout WKBEnvelope, depth: Int) -> Bool {
        guard depth < 32, o + 5 <= b.count, b[o] <= 1 else { return false }
        let little = b[o] == 1
        o += 1
        guard let raw = u32(b, &o, little) else { return false }
        var type = Int(raw & 0x0FFF_FFFF)
        var dims = 2 + (raw & 0x8000_0000 != 0 ? 1 : 0) + (raw & 0x4000_0000 != 0 ? 1 : 0)
        if type > 1000 {
            dims = [1: 3, 2: 3, 3: 4][type / 1000] ?? 2
            type %= 1000
        }
        func points(_ n: Int) -> Bool {
            guard n >= 0, o + n * dims * 8 <= b.count else { return false }
            for _ in 0..<n {
                let x = f64(b, o, little), y = f64(b, o + 8, little)
                o += dims * 8
                guard !x.isNaN, !y.isNaN else { continue }   // an empty point is written as NaN, NaN
                box.minX = min(box.minX, x); box.maxX = max(box.maxX, x)
                box.minY = min(box.minY, y); box.maxY = max(box.maxY, y)
            }
            return true
        }
        switch type {
        case 1: return points(1)
        case 2: guard let n = u32(b, &o, little) else { return false }; return points(Int(n))
        case 3:
            guard let rings = u32(b, &o, little) else { return false }
            for _ in 0..<rings { guard let n = u32(b, &o, little), points(Int(n)) else { return false } }
            return true
        case 4, 5, 6, 7:
            guard let parts = u32(b, &o, little) else { return false }
            for _ in 0..<parts { guard scan(b, &o, into: &box, depth: depth + 1) else { return false } }
            return true
        default: return false
        }
    }

    private static func u32(_ b: UnsafeRawBufferPointer, _ o: inout Int, _ little: Bool) -> UInt32? {
        guard o + 4 <= b.count else { return nil }
        let v = b.loadUnaligned(fromByteOffset: o, as: UInt32.self)
        o += 4
        return little ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
    }

    private static func f64(_ b: UnsafeRawBufferPointer, _ o: Int, _ little: Bool) -> Double {
        let v = b.loadUnaligned(fromByteOffset: o, as: UInt64.self)
        return Double(bitPattern: little ? UInt64(littleEndian: v) : UInt64(bigEndian: v))
    }
}
