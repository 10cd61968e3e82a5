import GeoCore

extension TilePipeline {
    /// Step 3 — clip: the part of `geometry` inside `box` (the tile plus its buffer), nil when nothing is.
    ///
    /// Points are filtered without GEOS; a line or polygon wholly inside the box is returned as is,
    /// others go through GEOS clip-by-rect.
    public static func clip(_ geometry: Geometry, to box: BoundingBox) throws -> Geometry? {
        guard let bounds = geometry.boundingBox, bounds.intersects(box) else { return nil }
        if box.contains(bounds) { return geometry }
        switch geometry.geometryType {
        case .point:
            return nil   // a single point's bounds are the point: inside was handled above
        case .multiPoint:
            let kept = geometry.coordinates.filter(box.contains)
            return kept.isEmpty ? nil : try Geometry(kept.count == 1 ? .point(kept[0]) : .multiPoint(kept))
        default:
            let clipped = try geometry.clipped(to: box)
            return clipped.isEmpty ? nil : clipped
        }
    }
}
