import Foundation

/// Spherical Web Mercator (EPSG:3857) constants and the closed-form projection used by tile math.
public enum WebMercator {
    /// The WGS 84 semi-major axis used as the sphere radius, metres.
    public static let earthRadius = 6_378_137.0
    /// Half the width of the projected world, metres (π × radius).
    public static let extent = 20_037_508.342789244
    /// The latitude at which the projected world is square, degrees.
    public static let maxLatitude = 85.05112877980659
    /// The whole tiled world in EPSG:3857 metres.
    public static let worldBounds = BoundingBox(minX: -extent, minY: -extent, maxX: extent, maxY: extent)

    /// Lon/lat degrees → EPSG:3857 metres; latitudes are clamped to ±`maxLatitude`.
    public static func project(_ lonLat: Coordinate) -> Coordinate {
        let lat = Swift.min(Swift.max(lonLat.y, -maxLatitude), maxLatitude)
        let x = earthRadius * lonLat.x * .pi / 180
        let y = earthRadius * log(tan(.pi / 4 + lat * .pi / 360))
        return Coordinate(x: x, y: y)
    }

    /// EPSG:3857 metres → lon/lat degrees.
    public static func unproject(_ mercator: Coordinate) -> Coordinate {
        let lon = mercator.x / earthRadius * 180 / .pi
        let lat = atan(sinh(mercator.y / earthRadius)) * 180 / .pi
        return Coordinate(x: lon, y: lat)
    }

    /// The width of one tile at `zoom`, metres.
    public static func tileSize(zoom: Int) -> Double {
        2 * extent / Double(1 << zoom)
    }
}

/// One web-map tile in the XYZ scheme: zoom `z`, column `x` from the west, row `y` from the north.
public struct TileKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Zoom level, 0...30.
    public let z: Int
    /// Column, 0 at the antimeridian (180° W), growing eastwards.
    public let x: Int
    /// Row, 0 at the top (85.05° N), growing southwards.
    public let y: Int

    /// The deepest zoom level accepted (tile numbers still fit comfortably in `Int`).
    public static let maxZoom = 30

    /// A checked tile key; throws `GeometryError.invalidTileKey` outside z 0...30, x and y 0..<2^z.
    public init(z: Int, x: Int, y: Int) throws {
        if let reason = Self.problem(z: z, x: x, y: y) { throw GeometryError.invalidTileKey(z: z, x: x, y: y, reason: reason) }
        self.z = z; self.x = x; self.y = y
    }

    /// A key from an MBTiles/TMS row (counted from the south).
    public init(z: Int, x: Int, tmsY: Int) throws {
        guard (0...Self.maxZoom).contains(z) else {
            throw GeometryError.invalidTileKey(z: z, x: x, y: tmsY, reason: "zoom must be 0...\(Self.maxZoom)")
        }
        try self.init(z: z, x: x, y: (1 << z) - 1 - tmsY)
    }

    /// Decodes `{"z":…, "x":…, "y":…}` and rejects keys outside the grid.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(z: c.decode(Int.self, forKey: .z), x: c.decode(Int.self, forKey: .x), y: c.decode(Int.self, forKey: .y))
    }

    private enum CodingKeys: String, CodingKey { case z, x, y }

    fileprivate init(unchecked z: Int, x: Int, y: Int) { self.z = z; self.x = x; self.y = y }

    /// True when (z, x, y) names a tile of the XYZ grid.
    public static func isValid(z: Int, x: Int, y: Int) -> Bool { problem(z: z, x: x, y: y) == nil }

    private static func problem(z: Int, x: Int, y: Int) -> String? {
        guard (0...maxZoom).contains(z) else { return "zoom must be 0...\(maxZoom)" }
        let n = 1 << z
        if !(0..<n).contains(x) { return "x must be 0...\(n - 1) at zoom \(z)" }
        if !(0..<n).contains(y) { return "y must be 0...\(n - 1) at zoom \(z)" }
        return nil
    }

    /// The number of tiles along each axis at this zoom (2^z).
    public var tilesPerSide: Int { 1 << z }

    /// The row in the TMS scheme used by MBTiles (`tile_row`), counted from the south.
    public var tmsY: Int { (1 << z) - 1 - y }

    /// The tile's extent in EPSG:3857 metres.
    public var mercatorBounds: BoundingBox {
        let size = WebMercator.tileSize(zoom: z)
        let e = WebMercator.extent
        return BoundingBox(minX: -e + Double(x) * size, minY: e - Double(y + 1) * size,
                           maxX: -e + Double(x + 1) * size, maxY: e - Double(y) * size)
    }

    /// The tile's extent in lon/lat degrees.
    public var lonLatBounds: BoundingBox {
        let m = mercatorBounds
        let lo = WebMercator.unproject(m.lowerLeft), hi = WebMercator.unproject(m.upperRight)
        return BoundingBox(minX: lo.x, minY: lo.y, maxX: hi.x, maxY: hi.y)
    }

    /// The tile one zoom out that contains this one; nil at zoom 0.
    public var parent: TileKey? {
        z == 0 ? nil : TileKey(unchecked: z - 1, x: x >> 1, y: y >> 1)
    }

    /// The four tiles one zoom in (NW, NE, SW, SE); empty at `maxZoom`.
    public var children: [TileKey] {
        guard z < Self.maxZoom else { return [] }
        return [TileKey(unchecked: z + 1, x: 2 * x, y: 2 * y), TileKey(unchecked: z + 1, x: 2 * x + 1, y: 2 * y),
                TileKey(unchecked: z + 1, x: 2 * x, y: 2 * y + 1), TileKey(unchecked: z + 1, x: 2 * x + 1, y: 2 * y + 1)]
    }

    /// The tile holding an EPSG:3857 position (positions off the world are clamped to its edge tiles).
    public static func containing(mercator c: Coordinate, zoom: Int) throws -> TileKey {
        let range = try covering(mercatorBounds: BoundingBox(minX: c.x, minY: c.y, maxX: c.x, maxY: c.y), zoom: zoom, clampToWorld: true)
        return range[0]
    }

    /// The tile holding a lon/lat position.
    public static func containing(lonLat c: Coordinate, zoom: Int) throws -> TileKey {
        try containing(mercator: WebMercator.project(c), zoom: zoom)
    }

    /// The tiles at `zoom` whose area overlaps a box in EPSG:3857 metres. A box edge lying exactly
    /// on a tile edge does not pull in the neighbour; a zero-size box gives the tile containing it.
    public static func covering(mercatorBounds box: BoundingBox, zoom: Int) throws -> TileRange {
        try covering(mercatorBounds: box, zoom: zoom, clampToWorld: false)
    }

    /// The tiles at `zoom` whose area overlaps a box in lon/lat degrees (latitudes clamped to ±85.05°).
    public static func covering(lonLatBounds box: BoundingBox, zoom: Int) throws -> TileRange {
        let lo = WebMercator.project(box.lowerLeft), hi = WebMercator.project(box.upperRight)
        return try covering(mercatorBounds: BoundingBox(minX: lo.x, minY: lo.y, maxX: hi.x, maxY: hi.y), zoom: zoom)
    }

    /// The tiles covering a box in EPSG:4326 (lon/lat order) or EPSG:3857; other CRSs are reprojected to 3857 first.
    public static func covering(_ box: BoundingBox, crs: CRS, zoom: Int) throws -> TileRange {
        switch crs {
        case .wgs84: return try covering(lonLatBounds: box, zoom: zoom)
        case .webMercator: return try covering(mercatorBounds: box, zoom: zoom)
        default: return try covering(mercatorBounds: box.transformed(with: .between(crs, .webMercator)), zoom: zoom)
        }
    }

    private static func covering(mercatorBounds box: BoundingBox, zoom: Int, clampToWorld: Bool) throws -> TileRange {
        guard (0...maxZoom).contains(zoom) else {
            throw GeometryError.invalidTileKey(z: zoom, x: 0, y: 0, reason: "zoom must be 0...\(maxZoom)")
        }
        let n = 1 << zoom
        let size = WebMercator.tileSize(zoom: zoom), e = WebMercator.extent
        guard clampToWorld || box.intersects(WebMercator.worldBounds) else { return TileRange(zoom: zoom, xs: 0..<0, ys: 0..<0) }
        func span(_ lo: Double, _ hi: Double) -> Range<Int> {
            let a = snapped(lo / size), b = snapped(hi / size)
            let first = Int(floor(a).clamped(-1, Double(n)))
            var last = b > a ? Int(ceil(b).clamped(-1, Double(n + 1))) - 1 : first
            last = Swift.max(last, first)
            let start = Swift.min(Swift.max(first, 0), n - 1), end = Swift.min(Swift.max(last, 0), n - 1)
            return start..<(end + 1)
        }
        let xs = span(box.minX + e, box.maxX + e)
        let ys = span(e - box.maxY, e - box.minY)
        return TileRange(zoom: zoom, xs: xs, ys: ys)
    }

    /// Rounds values within floating-point noise of an integer to it, so tile edges land on tile numbers.
    private static func snapped(_ v: Double) -> Double {
        let r = v.rounded()
        return abs(v - r) < 1e-9 * Swift.max(1, abs(v)) ? r : v
    }

    /// "z/x/y".
    public var description: String { "\(z)/\(x)/\(y)" }

    /// Orders by zoom, then row, then column.
    public static func < (a: TileKey, b: TileKey) -> Bool { (a.z, a.y, a.x) < (b.z, b.y, b.x) }
}

/// A rectangular block of tiles at one zoom, iterated row by row from the north-west corner.
public struct TileRange: RandomAccessCollection, Hashable, Sendable {
    /// The zoom level of every tile in the range.
    public let zoom: Int
    /// The columns covered.
    public let xs: Range<Int>
    /// The rows covered (XYZ, from the north).
    public let ys: Range<Int>

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of tiles in the range.
    public var endIndex: Int { xs.count * ys.count }

    /// The `i`-th tile, counting along each row from the west, rows from the north.
    public subscript(i: Int) -> TileKey {
        precondition(i >= 0 && i < endIndex, "tile index \(i) out of range 0..<\(endIndex)")
        return TileKey(unchecked: zoom, x: xs.lowerBound + i % xs.count, y: ys.lowerBound + i / xs.count)
    }
}

extension Double {
    fileprivate func clamped(_ lo: Double, _ hi: Double) -> Double { Swift.min(Swift.max(self, lo), hi) }
}
