import GeoCore

extension TilePipeline {
    /// The simplification tolerance in Mercator metres for `zoom`: `units` tile units of a tile.
    public static func tolerance(zoom: Int, units: Double, extent: Int) -> Double {
        WebMercator.tileSize(zoom: zoom) * units / Double(extent)
    }

    /// Step 4 — simplify: topology-preserving Douglas–Peucker (no new self-intersections, rings never
    /// collapse or cross); points and two-point lines are returned as they are.
    public static func simplify(_ geometry: Geometry, tolerance: Double) throws -> Geometry {
        guard tolerance > 0 else { return geometry }
        switch geometry.geometryType {
        case .point, .multiPoint: return geometry
        case .lineString: if case let .lineString(cs) = geometry.value, cs.count <= 2 { return geometry }
        default: break
        }
        return try geometry.simplified(tolerance: tolerance)
    }
}
