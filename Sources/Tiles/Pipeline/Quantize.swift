import Foundation
import GeoCore

extension TilePipeline {
    /// Step 5 — quantize: EPSG:3857 positions to integer tile coordinates (y flipped: it grows downward).
    ///
    /// `dimension` (0 points, 1 lines, 2 polygons) picks the parts to keep from a mixed collection.
    public static func quantize(_ value: GeometryValue, tile: BoundingBox, extent: Int, dimension: Int) -> TileGeometry {
        let sx = Double(extent) / tile.width, sy = Double(extent) / tile.height
        func q(_ c: Coordinate) -> TilePoint {
            TilePoint(Int32(clamping: Int64(((c.x - tile.minX) * sx).rounded())),
                      Int32(clamping: Int64(((tile.maxY - c.y) * sy).rounded())))
        }
        let parts = value.parts(ofDimension: dimension)
        switch dimension {
        case 0:
            return .points(parts.compactMap { if case let .point(c) = $0 { q(c) } else { nil } })
        case 1:
            return .lines(parts.compactMap { if case let .lineString(cs) = $0 { cs.map(q) } else { nil } })
        default:
            return .polygons(parts.compactMap { if case let .polygon(rs) = $0 { rs.map { $0.map(q) } } else { nil } })
        }
    }
}
