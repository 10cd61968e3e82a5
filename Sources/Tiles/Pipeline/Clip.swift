import GeoCore

extension TilePipeline {
    /// Step 3 — clip: the part of `value` inside `box` (the tile plus its buffer), nil when nothing is.
    ///
    /// `bounds` are the value's bounds when known (a layer index holds them). Points are filtered without
    /// GEOS; a line or polygon wholly inside the box is returned as is, others go through GEOS clip-by-rect.
    public static func clip(_ value: GeometryValue, bounds: BoundingBox? = nil, to box: BoundingBox) throws -> GeometryValue? {
        guard let bounds = bounds ?? BoundingBox(containing: value.coordinates), bounds.intersects(box) else { return nil }
        if box.contains(bounds) { return value }
        switch value {
        case .point:
            return nil   // a single point's bounds are the point: inside was handled above
        case let .multiPoint(cs):
            let kept = cs.filter(box.contains)
            return kept.isEmpty ? nil : kept.count == 1 ? .point(kept[0]) : .multiPoint(kept)
        default:
            let clipped = try Geometry(value).clipped(to: box).value
            return clipped.isEmpty ? nil : clipped
        }
    }
}
