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
        return try Geometry(value).simplified(tolerance: tolerance).value
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
