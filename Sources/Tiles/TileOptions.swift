/// Tiling parameters; the defaults follow common practice (Mapbox, tippecanoe, Martin).
public struct TileOptions: Hashable, Sendable {
    /// Tile coordinates per tile side (MVT `extent`).
    public var extent: Int
    /// Extra margin kept around each tile, in tile units, so lines and symbols join across edges.
    public var buffer: Int
    /// Douglas–Peucker tolerance in tile units (topology-preserving); not applied at a layer's max zoom.
    public var simplification: Double
    /// Below a point layer's max zoom, at most one point per square of this many tile units (0: keep all).
    public var pointThinningCell: Int

    /// Options with the usual defaults: extent 4096, buffer 64, one-unit simplification, 16-unit point cells.
    public init(extent: Int = 4096, buffer: Int = 64, simplification: Double = 1, pointThinningCell: Int = 16) {
        self.extent = extent; self.buffer = buffer; self.simplification = simplification
        self.pointThinningCell = pointThinningCell
    }
}
