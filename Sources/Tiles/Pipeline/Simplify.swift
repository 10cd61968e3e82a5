import GeoCore

extension TilePipeline {
    /// The simplification tolerance in Mercator metres for `zoom`: `units` tile units of a tile.
    public static func tolerance(zoom: Int, units: Double, extent: Int) -> Double {
        WebMercator.tileSize(zoom: zoom) * units / Double(extent)
    }

    /// Step 4 — simplify: topology-preserving Douglas–Peucker (GEOS; no new self-intersections, rings
    /// never collapse or cross). A plain Douglas–Peucker pass in Swift first checks whether any vertex
    /// would go at all; when none would, GEOS is not called (the common case at high zooms).
    public static func simplify(_ value: GeometryValue, tolerance: Double) throws -> GeometryValue {
        guard tolerance > 0 else { return value }
        let paths: [[Coordinate]]
        switch value {
        case .point, .multiPoint: return value
        case let .lineString(cs): paths = [cs]
        case let .multiLineString(ls): paths = ls
        case let .polygon(rs): paths = rs
        case let .multiPolygon(ps): paths = ps.flatMap { $0 }
        case .geometryCollection: paths = [[]]
        }
        if !paths.isEmpty, paths.allSatisfy({ !douglasPeuckerWouldRemove($0, tolerance: tolerance) }) { return value }
        switch value {
        case let .lineString(cs): return .lineString(simplifyLines([cs], tolerance: tolerance)[0])
        case let .multiLineString(ls): return .multiLineString(simplifyLines(ls, tolerance: tolerance))
        default: return try Geometry(value).simplified(tolerance: tolerance).value
        }
    }

    /// Topology-preserving Douglas–Peucker of lines, as GEOS 3.11's TopologyPreservingSimplifier does it
    /// for linestrings (same vertices kept): a run of vertices is replaced by the segment joining its ends
    /// only when every vertex is within `tolerance` of it and the segment would not cross, in its interior,
    /// a segment of any line still in the input or already simplified. Closed lines keep at least 4 positions.
    static func simplifyLines(_ lines: [[Coordinate]], tolerance: Double) -> [[Coordinate]] {
        var inputAlive = lines.map { Array(repeating: true, count: max(0, $0.count - 1)) }
        var flattened: [(Coordinate, Coordinate)] = []
        var results: [[Coordinate]] = []
        for (li, line) in lines.enumerated() {
            guard line.count >= 3 else { results.append(line); continue }
            let minimumSize = line.first == line.last ? 4 : 2
            var result: [Coordinate] = [line[0]]
            func crossesSomething(_ a: Coordinate, _ b: Coordinate, section: Range<Int>) -> Bool {
                for (p, q) in flattened where interiorIntersection(p, q, a, b) { return true }
                for (lj, other) in lines.enumerated() {
                    for k in inputAlive[lj].indices where inputAlive[lj][k] && !(lj == li && section.contains(k)) {
                        if interiorIntersection(other[k], other[k + 1], a, b) { return true }
                    }
                }
                return false
            }
            func section(_ i: Int, _ j: Int, depth: Int) {
                if i + 1 == j { result.append(line[j]); return }
                let resultSize = result.count == 1 ? 0 : result.count
                var valid = !(resultSize < minimumSize && depth + 1 < minimumSize)
                var worst = -1.0, at = i
                for k in (i + 1)..<j {
                    let d = squaredDistance(line[k], line[i], line[j])
                    if d > worst { worst = d; at = k }
                }
                if worst.squareRoot() > tolerance { valid = false }
                if valid && crossesSomething(line[i], line[j], section: i..<j) { valid = false }
                if valid {
                    for k in i..<j { inputAlive[li][k] = false }
                    flattened.append((line[i], line[j]))
                    result.append(line[j])
                    return
                }
                section(i, at, depth: depth + 1)
                section(at, j, depth: depth + 1)
            }
            section(0, line.count - 1, depth: 1)
            results.append(result)
        }
        return results
    }

    /// True when segments p1–p2 and q1–q2 meet at a point that is not an end of both (JTS
    /// `LineIntersector.isInteriorIntersection`): a crossing, an end touching the other's interior, or an overlap.
    static func interiorIntersection(_ p1: Coordinate, _ p2: Coordinate, _ q1: Coordinate, _ q2: Coordinate) -> Bool {
        guard min(p1.x, p2.x) <= max(q1.x, q2.x), max(p1.x, p2.x) >= min(q1.x, q2.x),
              min(p1.y, p2.y) <= max(q1.y, q2.y), max(p1.y, p2.y) >= min(q1.y, q2.y) else { return false }
        func orientation(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Int {
            let d = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
            return d > 0 ? 1 : d < 0 ? -1 : 0
        }
        let pq1 = orientation(p1, p2, q1), pq2 = orientation(p1, p2, q2)
        if pq1 * pq2 > 0 { return false }
        let qp1 = orientation(q1, q2, p1), qp2 = orientation(q1, q2, p2)
        if qp1 * qp2 > 0 { return false }
        func isEndOfBoth(_ c: Coordinate) -> Bool { (c == p1 || c == p2) && (c == q1 || c == q2) }
        if pq1 == 0 && pq2 == 0 && qp1 == 0 && qp2 == 0 {
            // Collinear: the overlap's ends are the ends of either segment lying within the other.
            func within(_ c: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Bool {
                c.x >= min(a.x, b.x) && c.x <= max(a.x, b.x) && c.y >= min(a.y, b.y) && c.y <= max(a.y, b.y)
            }
            let ends = [q1, q2].filter { within($0, p1, p2) } + [p1, p2].filter { within($0, q1, q2) }
            return ends.contains { !isEndOfBoth($0) }
        }
        if pq1 != 0 && pq2 != 0 && qp1 != 0 && qp2 != 0 { return true }   // a proper crossing
        let point: Coordinate
        if p1 == q1 || p1 == q2 { point = p1 } else if p2 == q1 || p2 == q2 { point = p2 }
        else if pq1 == 0 { point = q1 } else if pq2 == 0 { point = q2 } else if qp1 == 0 { point = p1 } else { point = p2 }
        return !isEndOfBoth(point)
    }

    /// True when Douglas–Peucker with `tolerance` would drop at least one vertex of `path`.
    static func douglasPeuckerWouldRemove(_ path: [Coordinate], tolerance: Double) -> Bool {
        guard path.count > 2 else { return false }
        var stack = [(0, path.count - 1)]
        let t2 = tolerance * tolerance
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            var worst = -1.0, at = a
            for i in (a + 1)..<b {
                let d = squaredDistance(path[i], path[a], path[b])
                if d > worst { worst = d; at = i }
            }
            if worst <= t2 { return true }   // every vertex between a and b would go
            stack.append((a, at)); stack.append((at, b))
        }
        return false
    }

    static func squaredDistance(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0
        t = min(1, max(0, t))
        let x = a.x + t * dx - p.x, y = a.y + t * dy - p.y
        return x * x + y * y
    }
}
