/// A position in tile coordinates: integers, x to the right, y **down**, 0…extent inside the tile
/// (a buffer's positions fall a little outside).
public struct TilePoint: Hashable, Sendable, CustomStringConvertible {
    public var x: Int32
    public var y: Int32
    /// A position in tile units.
    public init(_ x: Int32, _ y: Int32) { self.x = x; self.y = y }
    public var description: String { "(\(x), \(y))" }
}

/// A geometry in integer tile coordinates, the input of the MVT encoder.
///
/// Rings are closed (first == last). Polygons are lists of rings, the first the exterior.
public enum TileGeometry: Hashable, Sendable {
    case points([TilePoint])
    case lines([[TilePoint]])
    case polygons([[[TilePoint]]])

    /// True when nothing is left to draw.
    public var isEmpty: Bool {
        switch self {
        case let .points(p): p.isEmpty
        case let .lines(l): l.isEmpty
        case let .polygons(p): p.isEmpty
        }
    }

    /// The MVT `GeomType` number: 1 point, 2 line string, 3 polygon.
    var mvtType: UInt64 {
        switch self {
        case .points: 1
        case .lines: 2
        case .polygons: 3
        }
    }
}

/// The surveyor's (shoelace) formula, doubled: in tile coordinates (y down) a positive value means
/// the ring appears clockwise, which MVT 2.1 requires of exterior rings.
public func signedDoubleArea(_ ring: [TilePoint]) -> Int64 {
    guard ring.count >= 3 else { return 0 }
    var sum: Int64 = 0
    for i in 0..<(ring.count - 1) {
        let a = ring[i], b = ring[i + 1]
        sum += Int64(a.x) * Int64(b.y) - Int64(b.x) * Int64(a.y)
    }
    let a = ring[ring.count - 1], b = ring[0]
    sum += Int64(a.x) * Int64(b.y) - Int64(b.x) * Int64(a.y)
    return sum
}
