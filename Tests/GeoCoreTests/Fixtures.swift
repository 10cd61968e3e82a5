@testable import GeoCore

/// Small geometries shared by the GeoCore tests.
enum Fixtures {
    static func c(_ x: Double, _ y: Double) -> Coordinate { Coordinate(x: x, y: y) }

    /// A closed ring around the rectangle (x0, y0)–(x1, y1), counter-clockwise.
    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
        [c(x0, y0), c(x1, y0), c(x1, y1), c(x0, y1), c(x0, y0)]
    }

    /// One value of every geometry type, including empty and nested ones.
    static let everyType: [GeometryValue] = [
        .point(c(139.3144, 35.3964)),
        .emptyPoint,
        .lineString([c(0, 0), c(1, 1), c(2, 0.5)]),
        .lineString([]),
        .polygon([rect(0, 0, 10, 10), [c(2, 2), c(2, 3), c(3, 3), c(2, 2)]]),
        .polygon([]),
        .multiPoint([c(1, 2), c(-3.25, 4e-7)]),
        .multiLineString([[c(0, 0), c(1, 1)], [c(5, 5), c(6, 7), c(8, 9)]]),
        .multiPolygon([[rect(0, 0, 1, 1)], [rect(2, 2, 3, 3), [c(2.2, 2.2), c(2.2, 2.4), c(2.4, 2.4), c(2.2, 2.2)]]]),
        .geometryCollection([.point(c(1, 2)), .lineString([c(0, 0), c(1, 1)]),
                             .geometryCollection([.polygon([rect(0, 0, 1, 1)])])]),
        .geometryCollection([]),
    ]

    static func geometry(_ v: GeometryValue) throws -> Geometry { try Geometry(v) }

    /// A square of side `side` with its lower-left corner at (x, y).
    static func square(_ x: Double, _ y: Double, side: Double) throws -> Geometry {
        try Geometry(.polygon([rect(x, y, x + side, y + side)]))
    }
}
