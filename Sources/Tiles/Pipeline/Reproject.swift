import GeoCore

extension TilePipeline {
    /// Step 2 — reproject: stored WKB (storage CRS) to a geometry in EPSG:3857, in one PROJ call.
    public static func reproject(_ wkb: [UInt8], transformer: CoordinateTransformer) throws -> Geometry {
        try Geometry(wkb: wkb).transformed(with: transformer)
    }
}
