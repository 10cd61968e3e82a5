import GeoCore

extension TilePipeline {
    /// Step 6b — repair: rounding to the integer grid can make a valid polygon touch or cross itself;
    /// such polygons are made valid by GEOS in tile space and rounded again. Lines and points pass through.
    public static func repairPolygons(_ geometry: TileGeometry, extent: Int) throws -> TileGeometry? {
        guard case let .polygons(polys) = geometry else { return geometry }
        let value = GeometryValue.multiPolygon(polys.map { $0.map { $0.map { Coordinate(x: Double($0.x), y: Double($0.y)) } } })
        let g = try Geometry(value)
        if try g.isValid { return geometry }
        let repaired = try g.makeValid()
        // Identity mapping: tile coordinates in, tile coordinates out (y is already flipped).
        let unit = BoundingBox(minX: 0, minY: -Double(extent), maxX: Double(extent), maxY: 0)
        let flipped = repaired.value.mapCoordinates { Coordinate(x: $0.x, y: -$0.y) }
        return dropDegenerate(quantize(flipped, tile: unit, extent: extent, dimension: 2))
    }
}
