import Foundation

/// The seven OGC simple-feature geometry types; raw values are the WKB type codes.
public enum GeometryType: UInt32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case point = 1, lineString, polygon, multiPoint, multiLineString, multiPolygon, geometryCollection

    /// The OGC / GeoJSON spelling, e.g. "MultiPolygon".
    public var name: String {
        switch self {
        case .point: "Point"
        case .lineString: "LineString"
        case .polygon: "Polygon"
        case .multiPoint: "MultiPoint"
        case .multiLineString: "MultiLineString"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }

    /// Topological dimension of the type's parts: 0 points, 1 lines, 2 polygons (`nil` for collections).
    public var dimension: Int? {
        switch self {
        case .point, .multiPoint: 0
        case .lineString, .multiLineString: 1
        case .polygon, .multiPolygon: 2
        case .geometryCollection: nil
        }
    }

    /// The OGC name, as `name`.
    public var description: String { name }
}

/// A geometry's structure as plain Swift values, for walking coordinates without GEOS.
///
/// Rings are closed (first position == last) and the first ring of a polygon is its exterior.
/// An empty point is `.point` with NaN coordinates, as in WKB; use `GeometryValue.emptyPoint` and
/// test with `isEmpty` (NaN ≠ NaN, so `==` on values holding empty points is false; `Geometry` compares bytes).
public indirect enum GeometryValue: Hashable, Sendable {
    case point(Coordinate)
    case lineString([Coordinate])
    case polygon([[Coordinate]])
    case multiPoint([Coordinate])
    case multiLineString([[Coordinate]])
    case multiPolygon([[[Coordinate]]])
    case geometryCollection([GeometryValue])

    /// `POINT EMPTY`, written in WKB as a point with NaN coordinates.
    public static let emptyPoint = GeometryValue.point(Coordinate(x: .nan, y: .nan))

    /// The value's geometry type.
    public var geometryType: GeometryType {
        switch self {
        case .point: .point
        case .lineString: .lineString
        case .polygon: .polygon
        case .multiPoint: .multiPoint
        case .multiLineString: .multiLineString
        case .multiPolygon: .multiPolygon
        case .geometryCollection: .geometryCollection
        }
    }

    /// True when the geometry has no positions at all.
    public var isEmpty: Bool {
        switch self {
        case let .point(c): c.x.isNaN && c.y.isNaN
        case let .lineString(cs): cs.isEmpty
        case let .polygon(rings): rings.allSatisfy(\.isEmpty)
        case let .multiPoint(cs): cs.allSatisfy { $0.x.isNaN && $0.y.isNaN }
        case let .multiLineString(ls): ls.allSatisfy(\.isEmpty)
        case let .multiPolygon(ps): ps.allSatisfy { $0.allSatisfy(\.isEmpty) }
        case let .geometryCollection(gs): gs.allSatisfy(\.isEmpty)
        }
    }

    /// Every position in document order, skipping empty points.
    public var coordinates: [Coordinate] {
        var out: [Coordinate] = []
        forEachCoordinate { out.append($0) }
        return out
    }

    /// Calls `body` for every position in document order, skipping empty points.
    public func forEachCoordinate(_ body: (Coordinate) throws -> Void) rethrows {
        switch self {
        case let .point(c): if !c.isEmptyMarker { try body(c) }
        case let .lineString(cs): try cs.forEach(body)
        case let .polygon(rings): for r in rings { try r.forEach(body) }
        case let .multiPoint(cs): for c in cs where !c.isEmptyMarker { try body(c) }
        case let .multiLineString(ls): for l in ls { try l.forEach(body) }
        case let .multiPolygon(ps): for p in ps { for r in p { try r.forEach(body) } }
        case let .geometryCollection(gs): for g in gs { try g.forEachCoordinate(body) }
        }
    }

    /// The same structure with every position replaced by `transform(position)`; empty points stay empty.
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows -> GeometryValue {
        func f(_ c: Coordinate) throws -> Coordinate { c.isEmptyMarker ? c : try transform(c) }
        switch self {
        case let .point(c): return .point(try f(c))
        case let .lineString(cs): return .lineString(try cs.map(f))
        case let .polygon(rings): return .polygon(try rings.map { try $0.map(f) })
        case let .multiPoint(cs): return .multiPoint(try cs.map(f))
        case let .multiLineString(ls): return .multiLineString(try ls.map { try $0.map(f) })
        case let .multiPolygon(ps): return .multiPolygon(try ps.map { try $0.map { try $0.map(f) } })
        case let .geometryCollection(gs): return .geometryCollection(try gs.map { try $0.mapCoordinates(transform) })
        }
    }

    /// A description of the first structural defect (unclosed ring, too few positions), or nil.
    ///
    /// These are the rules GEOS and SpatiaLite enforce when they build a geometry, so a value that
    /// passes can always be handed to them.
    public var structuralProblem: String? {
        switch self {
        case .point, .multiPoint:
            return nil
        case let .lineString(cs):
            return Self.lineProblem(cs, what: "LineString")
        case let .polygon(rings):
            return Self.polygonProblem(rings, what: "Polygon")
        case let .multiLineString(ls):
            for (i, l) in ls.enumerated() { if let p = Self.lineProblem(l, what: "MultiLineString line \(i)") { return p } }
            return nil
        case let .multiPolygon(ps):
            for (i, p) in ps.enumerated() { if let m = Self.polygonProblem(p, what: "MultiPolygon polygon \(i)") { return m } }
            return nil
        case let .geometryCollection(gs):
            for (i, g) in gs.enumerated() { if let m = g.structuralProblem { return "GeometryCollection member \(i): \(m)" } }
            return nil
        }
    }

    private static func lineProblem(_ cs: [Coordinate], what: String) -> String? {
        cs.count == 1 ? "\(what) has 1 position, needs 0 or at least 2" : nil
    }

    private static func polygonProblem(_ rings: [[Coordinate]], what: String) -> String? {
        for (i, ring) in rings.enumerated() {
            if ring.count < 4 {
                let plural = ring.count == 1 ? "position" : "positions"
                return "\(what) ring \(i) has \(ring.count) \(plural), needs at least 4"
            }
            if let first = ring.first, let last = ring.last, first != last {
                return "\(what) ring \(i) is not closed: first position \(first) differs from last \(last)"
            }
        }
        return nil
    }
}

extension Coordinate {
    /// The WKB convention for `POINT EMPTY`: both ordinates NaN.
    var isEmptyMarker: Bool { x.isNaN && y.isNaN }
}

/// An immutable 2D geometry, stored as canonical ISO WKB (little-endian, XY).
///
/// Equality and hashing compare those bytes, so two geometries are equal when they have the same
/// structure and the same coordinates bit for bit. Build from a `GeometryValue`, WKB, WKT or GeoJSON.
public struct Geometry: Sendable, Hashable {
    /// The canonical WKB bytes: ISO/OGC, little-endian, 2D.
    public let wkb: [UInt8]

    /// Wraps bytes already known to be canonical WKB (written by `WKBEncoder`).
    init(canonicalWKB: [UInt8]) { self.wkb = canonicalWKB }

    /// Builds a geometry from its structure; throws `GeometryError.invalidStructure` for unclosed
    /// rings or too few positions.
    public init(_ value: GeometryValue) throws {
        if let problem = value.structuralProblem { throw GeometryError.invalidStructure(problem) }
        self.wkb = WKBEncoder.encode(value)
    }

    /// A point geometry (never fails).
    public static func point(_ c: Coordinate) -> Geometry {
        Geometry(canonicalWKB: WKBEncoder.encode(.point(c)))
    }

    /// `POINT EMPTY`.
    public static let emptyPoint = Geometry.point(Coordinate(x: .nan, y: .nan))

    /// The parsed structure. Decoding canonical bytes cannot fail.
    public var value: GeometryValue {
        do {
            return try WKBDecoder.decode(wkb).value
        } catch {
            // `wkb` is only ever set from WKBEncoder output, which the decoder always accepts.
            preconditionFailure("canonical WKB failed to decode: \(error)")
        }
    }

    /// The geometry type, read from the WKB header without parsing the rest.
    public var geometryType: GeometryType {
        let code = UInt32(wkb[1]) | UInt32(wkb[2]) << 8 | UInt32(wkb[3]) << 16 | UInt32(wkb[4]) << 24
        guard let t = GeometryType(rawValue: code) else { preconditionFailure("canonical WKB has type code \(code)") }
        return t
    }

    /// True when the geometry has no positions.
    public var isEmpty: Bool { value.isEmpty }

    /// Every position in document order (empty points skipped).
    public var coordinates: [Coordinate] { value.coordinates }

    /// True when every position is a finite number (an empty point counts as finite).
    public var hasOnlyFiniteCoordinates: Bool { firstNonFiniteCoordinate == nil }

    /// The first NaN or infinite position, if any (empty points excluded).
    public var firstNonFiniteCoordinate: Coordinate? {
        var bad: Coordinate?
        value.forEachCoordinate { c in if bad == nil, !c.isFinite { bad = c } }
        return bad
    }

    /// Throws `GeometryError.nonFiniteCoordinate` unless every position is finite.
    public func checkFinite() throws {
        if let bad = firstNonFiniteCoordinate { throw GeometryError.nonFiniteCoordinate(bad) }
    }

    /// The same geometry with every position reprojected through `transformer` in one PROJ call.
    public func transformed(with transformer: CoordinateTransformer) throws -> Geometry {
        let v = value
        let source = v.coordinates
        try checkFinite()
        let moved = try transformer.transform(source)
        var i = 0
        let result = v.mapCoordinates { _ in defer { i += 1 }; return moved[i] }
        return Geometry(canonicalWKB: WKBEncoder.encode(result))
    }

    /// The bounding box of all positions, or nil for an empty geometry.
    public var boundingBox: BoundingBox? { BoundingBox(containing: coordinates) }
}

extension Geometry: CustomStringConvertible {
    /// The geometry as WKT with full precision.
    public var description: String { wkt() }
}
