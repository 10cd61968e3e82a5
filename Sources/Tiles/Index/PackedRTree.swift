import GeoCore

/// A static packed R-tree over boxes (the flatbush layout): items sorted along a Hilbert curve, packed
/// 16 to a node, every level in one flat array. Built once, never changed; searching allocates nothing
/// but the result.
struct PackedRTree: Sendable {
    static let nodeSize = 16
    /// Number of items (the leaves).
    let count: Int
    /// Leaf boxes in Hilbert order, then each upper level's node boxes, the root last.
    private let boxes: [BoundingBox]
    /// For a leaf, the item's position in the input; for a node, where its first child is in `boxes`.
    private let indices: [Int32]
    /// The end position in `boxes` of each level, leaves first.
    private let levelEnds: [Int]

    /// A tree over `items` (positions in the array are what a search returns).
    init(_ items: [BoundingBox]) {
        count = items.count
        var levelEnds = [count]
        var n = count, total = count
        while n > 1 {
            n = (n + Self.nodeSize - 1) / Self.nodeSize
            total += n
            levelEnds.append(total)
        }
        var boxes: [BoundingBox] = []
        var indices: [Int32] = []
        boxes.reserveCapacity(total); indices.reserveCapacity(total)
        if let all = items.first.map({ items.dropFirst().reduce($0) { $0.union($1) } }) {
            // Hilbert value of each box centre on a 65536 × 65536 grid over the whole extent.
            let sx = all.width > 0 ? 65535 / all.width : 0, sy = all.height > 0 ? 65535 / all.height : 0
            let keys = items.map { b -> UInt32 in
                Self.hilbert(UInt32(((b.minX + b.maxX) / 2 - all.minX) * sx), UInt32(((b.minY + b.maxY) / 2 - all.minY) * sy))
            }
            let order = (0..<count).sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            for i in order { boxes.append(items[i]); indices.append(Int32(i)) }
            var start = 0
            for end in levelEnds.dropLast() {
                var pos = start
                while pos < end {
                    let last = min(pos + Self.nodeSize, end)
                    boxes.append(boxes[pos..<last].dropFirst().reduce(boxes[pos]) { $0.union($1) })
                    indices.append(Int32(pos))
                    pos = last
                }
                start = end
            }
        }
        self.boxes = boxes; self.indices = indices; self.levelEnds = levelEnds
    }

    /// The positions of the items whose boxes intersect `box` (edges touching count), in no particular order.
    func search(_ box: BoundingBox, into out: inout [Int32]) {
        guard count > 0 else { return }
        var stack: [Int] = []
        var node = boxes.count - 1
        var level = levelEnds.count - 1
        var levels: [Int] = []
        while true {
            let end = min(node + Self.nodeSize, levelEnds[level])
            for pos in node..<end {
                let b = boxes[pos]
                guard b.minX <= box.maxX, b.maxX >= box.minX, b.minY <= box.maxY, b.maxY >= box.minY else { continue }
                if level == 0 { out.append(indices[pos]) } else { stack.append(Int(indices[pos])); levels.append(level - 1) }
            }
            guard let next = stack.popLast(), let l = levels.popLast() else { return }
            node = next; level = l
        }
    }

    /// The position of (x, y) along a Hilbert curve over 16-bit coordinates (after flatbush, from
    /// "Fast Hilbert curve generation" by Rawrunprotected).
    static func hilbert(_ x: UInt32, _ y: UInt32) -> UInt32 {
        var a = x ^ y, b = 0xFFFF ^ a, c = 0xFFFF ^ (x | y), d = x & (y ^ 0xFFFF)
        var A = a | (b >> 1), B = (a >> 1) ^ a
        var C = ((c >> 1) ^ (b & (d >> 1))) ^ c, D = ((a & (c >> 1)) ^ (d >> 1)) ^ d
        a = A; b = B; c = C; d = D
        A = (a & (a >> 2)) ^ (b & (b >> 2)); B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2))
        C ^= (a & (c >> 2)) ^ (b & (d >> 2)); D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2))
        a = A; b = B; c = C; d = D
        A = (a & (a >> 4)) ^ (b & (b >> 4)); B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4))
        C ^= (a & (c >> 4)) ^ (b & (d >> 4)); D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4))
        a = A; b = B; c = C; d = D
        C ^= (a & (c >> 8)) ^ (b & (d >> 8)); D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8))
        a = C ^ (C >> 1); b = D ^ (D >> 1)
        var i0 = x ^ y, i1 = b | (0xFFFF ^ (i0 | a))
        i0 = (i0 | (i0 << 8)) & 0x00FF_00FF; i0 = (i0 | (i0 << 4)) & 0x0F0F_0F0F
        i0 = (i0 | (i0 << 2)) & 0x3333_3333; i0 = (i0 | (i0 << 1)) & 0x5555_5555
        i1 = (i1 | (i1 << 8)) & 0x00FF_00FF; i1 = (i1 | (i1 << 4)) & 0x0F0F_0F0F
        i1 = (i1 | (i1 << 2)) & 0x3333_3333; i1 = (i1 | (i1 << 1)) & 0x5555_5555
        return (i1 << 1) | i0
    }
}
