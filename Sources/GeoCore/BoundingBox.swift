/// An axis-aligned rectangle in (x, y) coordinate order; edges count as inside.
public struct BoundingBox: Hashable, Sendable, Codable, CustomStringConvertible {
    /// West edge (smallest x).
    public var minX: Double
    /// South edge (smallest y).
    public var minY: Double
    /// East edge (largest x).
    public var maxX: Double
    /// North edge (largest y).
    public var maxY: Double

    /// A box from its edges; callers keep `min <= max` (use `init(containing:)` to build from points).
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    /// The smallest box holding every coordinate; nil when there are none.
    public init?(containing coordinates: some Sequence<Coordinate>) {
        var it = coordinates.makeIterator()
        guard let first = it.next() else { return nil }
        var box = BoundingBox(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let c = it.next() {
            box.minX = Swift.min(box.minX, c.x); box.minY = Swift.min(box.minY, c.y)
            box.maxX = Swift.max(box.maxX, c.x); box.maxY = Swift.max(box.maxY, c.y)
        }
        self = box
    }

    /// maxX − minX.
    public var width: Double { maxX - minX }
    /// maxY − minY.
    public var height: Double { maxY - minY }
    /// The centre point.
    public var center: Coordinate { Coordinate(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }
    /// The lower-left corner.
    public var lowerLeft: Coordinate { Coordinate(x: minX, y: minY) }
    /// The upper-right corner.
    public var upperRight: Coordinate { Coordinate(x: maxX, y: maxY) }

    /// The smallest box holding both boxes.
    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(minX: Swift.min(minX, other.minX), minY: Swift.min(minY, other.minY),
                    maxX: Swift.max(maxX, other.maxX), maxY: Swift.max(maxY, other.maxY))
    }

    /// The overlap of the two boxes, or nil when they do not meet.
    public func intersection(_ other: BoundingBox) -> BoundingBox? {
        guard intersects(other) else { return nil }
        return BoundingBox(minX: Swift.max(minX, other.minX), minY: Swift.max(minY, other.minY),
                           maxX: Swift.min(maxX, other.maxX), maxY: Swift.min(maxY, other.maxY))
    }

    /// True when the boxes share at least one point (touching edges count).
    public func intersects(_ other: BoundingBox) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    /// True when the coordinate is inside or on the edge.
    public func contains(_ c: Coordinate) -> Bool {
        c.x >= minX && c.x <= maxX && c.y >= minY && c.y <= maxY
    }

    /// True when `other` lies entirely inside this box (shared edges allowed).
    public func contains(_ other: BoundingBox) -> Bool {
        other.minX >= minX && other.maxX <= maxX && other.minY >= minY && other.maxY <= maxY
    }

    /// The box grown by `d` on every side (shrunk when `d` is negative).
    public func expandedBy(_ d: Double) -> BoundingBox {
        BoundingBox(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }

    /// The box as a closed, counter-clockwise polygon.
    public var polygon: Geometry {
        let ring = [Coordinate(x: minX, y: minY), Coordinate(x: maxX, y: minY), Coordinate(x: maxX, y: maxY),
                    Coordinate(x: minX, y: maxY), Coordinate(x: minX, y: minY)]
        return Geometry(canonicalWKB: WKBEncoder.encode(.polygon([ring])))
    }

    /// The box with both corners reprojected (adequate for small boxes; edges are not densified).
    public func transformed(with transformer: CoordinateTransformer) throws -> BoundingBox {
        let corners = try transformer.transform([Coordinate(x: minX, y: minY), Coordinate(x: maxX, y: minY),
                                                 Coordinate(x: maxX, y: maxY), Coordinate(x: minX, y: maxY)])
        // Four corners always yield a box.
        return BoundingBox(containing: corners) ?? self
    }

    /// "[minX, minY, maxX, maxY]".
    public var description: String { "[\(minX), \(minY), \(maxX), \(maxY)]" }
}
