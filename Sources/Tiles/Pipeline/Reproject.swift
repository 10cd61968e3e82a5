import GeoCore

extension TilePipeline {
    /// Step 2 — reproject: stored WKB (storage CRS) to a geometry value in EPSG:3857, in one PROJ call.
    ///
    /// Later steps work on the value and go through GEOS only when they must, so WKB is parsed once.
    public static func reproject(_ wkb: [UInt8], transformer: CoordinateTransformer) throws -> GeometryValue {
        let value = try GeometryValue(wkb: wkb)
        if value.isEmpty { return value }
        let moved = try transformer.transform(value.coordinates)
        for c in moved where !c.isFinite { throw GeometryError.nonFiniteCoordinate(c) }
        var i = 0
        return value.mapCoordinates { _ in defer { i += 1 }; return moved[i] }
    }
}
