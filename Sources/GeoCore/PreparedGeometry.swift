import CGEOS
import Synchronization

/// A geometry indexed once by GEOS for fast repeated tests, e.g. tens of thousands of points
/// against the city boundary.
///
/// Thread-safety: safe to share between tasks. GEOS builds the prepared index lazily and its
/// context is single-threaded, so every query takes an internal lock; for parallel throughput give
/// each task its own `PreparedGeometry`.
public final class PreparedGeometry: @unchecked Sendable {
    // Safe: `context`, `base` and `prepared` are created in init, touched only while `lock` is held,
    // and destroyed once in deinit (prepared before the geometry it indexes, both before the context).
    private let lock = Mutex(())
    private let context: GEOSContextHandle_t
    private let base: OpaquePointer
    private let prepared: OpaquePointer
    /// The geometry this was prepared from.
    public let geometry: Geometry

    /// Prepares `geometry`; throws if GEOS cannot read or index it.
    public init(_ geometry: Geometry) throws {
        guard let ctx = GEOS_init_r() else {
            throw GeometryError.geos(operation: "GEOS_init_r", message: "cannot create a GEOS context")
        }
        guard let reader = GEOSWKBReader_create_r(ctx) else {
            GEOS_finish_r(ctx)
            throw GeometryError.geos(operation: "GEOSWKBReader_create_r", message: "cannot create a WKB reader")
        }
        let raw = geometry.wkb.withUnsafeBufferPointer { GEOSWKBReader_read_r(ctx, reader, $0.baseAddress, $0.count) }
        GEOSWKBReader_destroy_r(ctx, reader)
        guard let raw else {
            GEOS_finish_r(ctx)
            throw GeometryError.geos(operation: "GEOSWKBReader_read_r", message: "GEOS cannot read the geometry")
        }
        guard let prep = GEOSPrepare_r(ctx, raw) else {
            GEOSGeom_destroy_r(ctx, raw)
            GEOS_finish_r(ctx)
            throw GeometryError.geos(operation: "GEOSPrepare_r", message: "GEOS cannot prepare the geometry")
        }
        self.context = ctx
        self.base = raw
        self.prepared = prep
        self.geometry = geometry
    }

    deinit {
        GEOSPreparedGeom_destroy_r(context, prepared)
        GEOSGeom_destroy_r(context, base)
        GEOS_finish_r(context)
    }

    private func test(_ c: Coordinate, _ name: String,
                      _ call: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar) throws -> Bool {
        try lock.withLock { _ in
            guard let point = GEOSGeom_createPointFromXY_r(context, c.x, c.y) else {
                throw GeometryError.geos(operation: "GEOSGeom_createPointFromXY_r", message: "cannot create point \(c)")
            }
            defer { GEOSGeom_destroy_r(context, point) }
            switch call(context, prepared, point) {
            case 1: return true
            case 0: return false
            default: throw GeometryError.geos(operation: name, message: "GEOS failed to test \(c)")
            }
        }
    }

    private func test(_ other: Geometry, _ name: String,
                      _ call: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar) throws -> Bool {
        try lock.withLock { _ in
            guard let reader = GEOSWKBReader_create_r(context) else {
                throw GeometryError.geos(operation: "GEOSWKBReader_create_r", message: "cannot create a WKB reader")
            }
            defer { GEOSWKBReader_destroy_r(context, reader) }
            guard let g = other.wkb.withUnsafeBufferPointer({ GEOSWKBReader_read_r(context, reader, $0.baseAddress, $0.count) }) else {
                throw GeometryError.geos(operation: "GEOSWKBReader_read_r", message: "GEOS cannot read the geometry")
            }
            defer { GEOSGeom_destroy_r(context, g) }
            switch call(context, prepared, g) {
            case 1: return true
            case 0: return false
            default: throw GeometryError.geos(operation: name, message: "GEOS failed the test")
            }
        }
    }

    /// True when the point lies in the interior (a point exactly on the boundary is not contained).
    public func contains(_ c: Coordinate) throws -> Bool {
        try test(c, "GEOSPreparedContains_r") { GEOSPreparedContains_r($0, $1, $2) }
    }

    /// True when the point lies in the interior or on the boundary.
    public func covers(_ c: Coordinate) throws -> Bool {
        try test(c, "GEOSPreparedCovers_r") { GEOSPreparedCovers_r($0, $1, $2) }
    }

    /// True when `other` lies inside the prepared geometry.
    public func contains(_ other: Geometry) throws -> Bool {
        try test(other, "GEOSPreparedContains_r") { GEOSPreparedContains_r($0, $1, $2) }
    }

    /// True when `other` shares at least one point with the prepared geometry.
    public func intersects(_ other: Geometry) throws -> Bool {
        try test(other, "GEOSPreparedIntersects_r") { GEOSPreparedIntersects_r($0, $1, $2) }
    }
}
