import CGEOS

// GEOS operations on `Geometry`. Each call converts its inputs to GEOS inside a fresh context
// (see `GEOSContext`), so these methods are safe to call from any number of tasks at once.
// Distances, lengths and areas are in the units of the coordinates: use a projected CRS such as
// EPSG:6677 for metres.

extension Geometry {
    private func unary<T>(_ body: (GEOSContext, GEOSGeometryHandle) throws -> T) throws -> T {
        try GEOSContext.run { ctx in try body(ctx, try ctx.make(self)) }
    }

    private func binary<T>(_ other: Geometry,
                           _ body: (GEOSContext, GEOSGeometryHandle, GEOSGeometryHandle) throws -> T) throws -> T {
        try GEOSContext.run { ctx in try body(ctx, try ctx.make(self), try ctx.make(other)) }
    }

    private func derived(_ name: String, _ call: (GEOSContextHandle_t, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        try unary { ctx, g in try ctx.geometry(try ctx.own(call(ctx.handle, g.pointer), name)) }
    }

    // MARK: Validity

    /// GEOS's explanation of why the geometry is invalid, e.g. "Self-intersection[1 1]"; nil when valid.
    public func validityReason() throws -> String? {
        try unary { ctx, g in
            guard try ctx.predicate(GEOSisValid_r(ctx.handle, g.pointer), "GEOSisValid_r") == false else { return nil }
            guard let text = GEOSisValidReason_r(ctx.handle, g.pointer) else { throw ctx.failure("GEOSisValidReason_r") }
            defer { GEOSFree_r(ctx.handle, text) }
            return String(cString: text)
        }
    }

    /// True when the geometry is valid in the OGC sense (no self-intersections, rings properly nested...).
    public var isValid: Bool {
        get throws { try unary { ctx, g in try ctx.predicate(GEOSisValid_r(ctx.handle, g.pointer), "GEOSisValid_r") } }
    }

    /// A valid geometry covering the same area/lines/points (GEOSMakeValid), keeping the input's
    /// dimension: a polygon stays polygonal (parts of lower dimension that GEOS may add are dropped).
    ///
    /// If nothing of the input's dimension survives (a polygon collapsed to a line), the result is
    /// an empty geometry of the input's type. Mixed collections are returned as GEOS made them.
    public func makeValid() throws -> Geometry {
        let repaired = try derived("GEOSMakeValid_r") { GEOSMakeValid_r($0, $1) }
        let input = value
        guard input.geometryType != .geometryCollection, let dim = input.geometryType.dimension else { return repaired }
        let result = repaired.value
        if result.geometryType.dimension == dim { return repaired }
        let parts = result.parts(ofDimension: dim)
        return try Geometry(GeometryValue.assemble(parts, dimension: dim, emptyLike: input.geometryType))
    }

    // MARK: Constructive operations

    /// The part of the geometry inside `box` (GEOSClipByRect; fast, but may return invalid polygons
    /// for invalid input, and boundary-only pieces may be dropped).
    public func clipped(to box: BoundingBox) throws -> Geometry {
        try derived("GEOSClipByRect_r") { GEOSClipByRect_r($0, $1, box.minX, box.minY, box.maxX, box.maxY) }
    }

    /// A simplified copy that keeps topology (no new self-intersections; Douglas–Peucker tolerance).
    public func simplified(tolerance: Double) throws -> Geometry {
        try derived("GEOSTopologyPreserveSimplify_r") { GEOSTopologyPreserveSimplify_r($0, $1, tolerance) }
    }

    /// The area within `distance` of the geometry (negative distances shrink polygons);
    /// `quadrantSegments` segments approximate each quarter circle.
    public func buffer(_ distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        try derived("GEOSBuffer_r") { GEOSBuffer_r($0, $1, distance, Int32(clamping: quadrantSegments)) }
    }

    /// The point-set intersection of two geometries.
    public func intersection(_ other: Geometry) throws -> Geometry {
        try binary(other) { ctx, a, b in
            try ctx.geometry(try ctx.own(GEOSIntersection_r(ctx.handle, a.pointer, b.pointer), "GEOSIntersection_r"))
        }
    }

    /// The point-set union of two geometries.
    public func union(_ other: Geometry) throws -> Geometry {
        try binary(other) { ctx, a, b in
            try ctx.geometry(try ctx.own(GEOSUnion_r(ctx.handle, a.pointer, b.pointer), "GEOSUnion_r"))
        }
    }

    /// The geometry in GEOS's normal form (rings start at their lowest point, parts sorted), for comparisons.
    public func normalized() throws -> Geometry {
        try unary { ctx, g in
            // GEOSNormalize_r rewrites in place; `g` is this call's private copy.
            guard GEOSNormalize_r(ctx.handle, g.pointer) == 0 else { throw ctx.failure("GEOSNormalize_r") }
            return try ctx.geometry(g)
        }
    }

    /// The centroid, or nil for an empty geometry.
    public var centroid: Coordinate? {
        get throws {
            let c = try derived("GEOSGetCentroid_r") { GEOSGetCentroid_r($0, $1) }
            guard case let .point(p) = c.value, !p.isEmptyMarker else { return nil }
            return p
        }
    }

    /// The bounding rectangle as a geometry (a point or empty geometry in degenerate cases), per GEOSEnvelope.
    public var envelope: Geometry {
        get throws { try derived("GEOSEnvelope_r") { GEOSEnvelope_r($0, $1) } }
    }

    // MARK: Measures

    /// The length of lines and polygon boundaries (0 for points).
    public var length: Double {
        get throws { try unary { ctx, g in try ctx.measure("GEOSLength_r") { GEOSLength_r(ctx.handle, g.pointer, $0) } } }
    }

    /// The area of polygonal parts (0 for points and lines).
    public var area: Double {
        get throws { try unary { ctx, g in try ctx.measure("GEOSArea_r") { GEOSArea_r(ctx.handle, g.pointer, $0) } } }
    }

    /// The shortest distance between the two geometries (0 when they intersect).
    public func distance(to other: Geometry) throws -> Double {
        try binary(other) { ctx, a, b in
            try ctx.measure("GEOSDistance_r") { GEOSDistance_r(ctx.handle, a.pointer, b.pointer, $0) }
        }
    }

    // MARK: Predicates

    /// True when the geometries share at least one point.
    public func intersects(_ other: Geometry) throws -> Bool {
        try binary(other) { ctx, a, b in try ctx.predicate(GEOSIntersects_r(ctx.handle, a.pointer, b.pointer), "GEOSIntersects_r") }
    }

    /// True when this geometry lies inside `other` (no point outside it, some interior point shared).
    public func within(_ other: Geometry) throws -> Bool {
        try binary(other) { ctx, a, b in try ctx.predicate(GEOSWithin_r(ctx.handle, a.pointer, b.pointer), "GEOSWithin_r") }
    }

    /// True when `other` lies inside this geometry; a point on the boundary is not contained.
    public func contains(_ other: Geometry) throws -> Bool {
        try binary(other) { ctx, a, b in try ctx.predicate(GEOSContains_r(ctx.handle, a.pointer, b.pointer), "GEOSContains_r") }
    }

    /// True when the distance to `other` is at most `distance` (faster than computing the distance).
    public func isWithinDistance(_ distance: Double, of other: Geometry) throws -> Bool {
        try binary(other) { ctx, a, b in
            try ctx.predicate(GEOSDistanceWithin_r(ctx.handle, a.pointer, b.pointer, distance), "GEOSDistanceWithin_r")
        }
    }

    /// True when both geometries cover exactly the same points, whatever their vertex order.
    public func isTopologicallyEqual(to other: Geometry) throws -> Bool {
        try binary(other) { ctx, a, b in try ctx.predicate(GEOSEquals_r(ctx.handle, a.pointer, b.pointer), "GEOSEquals_r") }
    }
}

extension GeometryValue {
    /// The non-empty points, lines or polygons (by `dimension` 0, 1, 2) inside this value, collections flattened.
    public func parts(ofDimension dimension: Int) -> [GeometryValue] {
        switch self {
        case let .point(c): return dimension == 0 && !c.isEmptyMarker ? [self] : []
        case let .lineString(cs): return dimension == 1 && !cs.isEmpty ? [self] : []
        case let .polygon(rs): return dimension == 2 && !rs.isEmpty ? [self] : []
        case let .multiPoint(cs): return dimension == 0 ? cs.filter { !$0.isEmptyMarker }.map { .point($0) } : []
        case let .multiLineString(ls): return dimension == 1 ? ls.filter { !$0.isEmpty }.map { .lineString($0) } : []
        case let .multiPolygon(ps): return dimension == 2 ? ps.filter { !$0.isEmpty }.map { .polygon($0) } : []
        case let .geometryCollection(gs): return gs.flatMap { $0.parts(ofDimension: dimension) }
        }
    }

    /// One part as itself, several as the matching multi-type, none as an empty `emptyLike`.
    static func assemble(_ parts: [GeometryValue], dimension: Int, emptyLike: GeometryType) -> GeometryValue {
        if parts.count == 1 { return parts[0] }
        if parts.isEmpty {
            switch emptyLike {
            case .point: return .emptyPoint
            case .lineString: return .lineString([])
            case .polygon: return .polygon([])
            case .multiPoint: return .multiPoint([])
            case .multiLineString: return .multiLineString([])
            case .multiPolygon: return .multiPolygon([])
            case .geometryCollection: return .geometryCollection([])
            }
        }
        switch dimension {
        case 0: return .multiPoint(parts.compactMap { if case let .point(c) = $0 { c } else { nil } })
        case 1: return .multiLineString(parts.compactMap { if case let .lineString(l) = $0 { l } else { nil } })
        default: return .multiPolygon(parts.compactMap { if case let .polygon(p) = $0 { p } else { nil } })
        }
    }
}
