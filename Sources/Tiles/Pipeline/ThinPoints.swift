extension TilePipeline {
    /// Step 7 — thin points: keeps the first feature (lowest fid) per `cell` × `cell` square of tile
    /// units, judged by its first point. One pixel's worth of points looks like one point anyway.
    public static func thinPoints(_ features: [MVTFeature], cell: Int) -> [MVTFeature] {
        thinPoints(features, cell: cell, geometry: \.geometry)
    }

    /// Step 7 for any feature type: `geometry` gives an item's tile geometry.
    public static func thinPoints<T>(_ items: [T], cell: Int, geometry: (T) -> TileGeometry) -> [T] {
        guard cell > 1 else { return items }
        var seen = Set<Int64>()
        let c = Int32(cell)
        return items.filter { item in
            guard case let .points(ps) = geometry(item), let p = ps.first else { return true }
            let key = Int64(p.x >= 0 ? p.x / c : (p.x - c + 1) / c) << 32 | Int64(UInt32(bitPattern: p.y >= 0 ? p.y / c : (p.y - c + 1) / c))
            return seen.insert(key).inserted
        }
    }
}
