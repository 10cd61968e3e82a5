import GeoCore

extension TilePipeline {
    /// Step 3 — clip: the part of `value` inside `box` (the tile plus its buffer), nil when nothing is.
    ///
    /// `bounds` are the value's bounds when known (a layer index holds them). Points and lines are cut
    /// here (a line by Liang–Barsky per segment, pieces split where it leaves the box, as GEOS
    /// clip-by-rect does); a polygon crossing the edge goes through GEOS clip-by-rect. A geometry wholly
    /// inside the box is returned as is.
    public static func clip(_ value: GeometryValue, bounds: BoundingBox? = nil, to box: BoundingBox) throws -> GeometryValue? {
        guard let bounds = bounds ?? BoundingBox(containing: value.coordinates), bounds.intersects(box) else { return nil }
        if box.contains(bounds) { return value }
        switch value {
        case .point:
            return nil   // a single point's bounds are the point: inside was handled above
        case let .multiPoint(cs):
            let kept = cs.filter(box.contains)
            return kept.isEmpty ? nil : kept.count == 1 ? .point(kept[0]) : .multiPoint(kept)
        case let .lineString(cs):
            return lines(clipLine(cs, to: box))
        case let .multiLineString(ls):
            return lines(ls.flatMap { clipLine($0, to: box) })
        default:
            let clipped = try Geometry(value).clipped(to: box).value
            return clipped.isEmpty ? nil : clipped
        }
    }

    private static func lines(_ pieces: [[Coordinate]]) -> GeometryValue? {
        pieces.isEmpty ? nil : pieces.count == 1 ? .lineString(pieces[0]) : .multiLineString(pieces)
    }

    /// The pieces of `line` inside `box`, edges included, in order along the line; a piece ends where
    /// the line leaves the box and a new one starts where it comes back. Pieces of one position go.
    static func clipLine(_ line: [Coordinate], to box: BoundingBox) -> [[Coordinate]] {
        guard line.count >= 2 else { return [] }
        var pieces: [[Coordinate]] = []
        var current: [Coordinate] = []
        func finish() {
            if current.count >= 2, current.contains(where: { $0 != current[0] }) { pieces.append(current) }
            current.removeAll()
        }
        for k in 0..<(line.count - 1) {
            let a = line[k], b = line[k + 1]
            guard let (t0, t1) = segmentInside(a, b, box) else { finish(); continue }
            if t0 > 0 || current.isEmpty {
                finish()
                current.append(t0 > 0 ? point(a, b, t0, box) : a)
            }
            current.append(t1 < 1 ? point(a, b, t1, box) : b)
            if t1 < 1 { finish() }
        }
        finish()
        return pieces
    }

    /// Liang–Barsky: the parameters (0 ≤ t0 ≤ t1 ≤ 1) of the part of segment a→b inside `box`, nil if none.
    private static func segmentInside(_ a: Coordinate, _ b: Coordinate, _ box: BoundingBox) -> (Double, Double)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        func edge(_ p: Double, _ q: Double) -> Bool {
            if p == 0 { return q >= 0 }
            let r = q / p
            if p < 0 { if r > t1 { return false }; if r > t0 { t0 = r } } else { if r < t0 { return false }; if r < t1 { t1 = r } }
            return true
        }
        guard edge(-dx, a.x - box.minX), edge(dx, box.maxX - a.x), edge(-dy, a.y - box.minY), edge(dy, box.maxY - a.y) else { return nil }
        return (t0, t1)
    }

    /// The position at `t` along a→b, kept inside `box` against rounding.
    private static func point(_ a: Coordinate, _ b: Coordinate, _ t: Double, _ box: BoundingBox) -> Coordinate {
        Coordinate(x: min(max(a.x + t * (b.x - a.x), box.minX), box.maxX), y: min(max(a.y + t * (b.y - a.y), box.minY), box.maxY))
    }
}
