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
    // and destroyed once: `prepared` in deinit, then `base`, then the context `base` keeps alive.
    private let lock = Mutex(())
    private let context: GEOSContext
    private let base: GEOSGeometryHandle
    private let prepared: OpaquePointer
    /// The geometry this was prepared from.
    public let geometry: Geometry

    /// Prepares `geometry`; throws if GEOS cannot read or index it.
    public init(_ geometry: Geometry) throws {
        let context = try GEOSContext()
        let base = try context.make(geometry)
        guard let prepared = GEOSPrepare_r(context.handle, base.pointer) else { throw context.failure("GEOSPrepare_r") }
        self.context = context
        self.base = base
        self.prepared = prepared
        self.geometry = geometry
    }

    deinit {
        GEOSPreparedGeom_destroy_r(context.handle, prepared)
    }

    private func test(_ name: String, _ call: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar,
                      against make: (GEOSContext) throws -> GEOSGeometryHandle) throws -> Bool {
        try lock.withLock { _ in
            let other = try make(context)
            // Keep the handle (and so the GEOS geometry) alive until GEOS has finished with its pointer.
            return try withExtendedLifetime(other) {
                try context.predicate(call(context.handle, prepared, other.pointer), name)
            }
        }
    }

    /// True when the point lies in the interior (a point exactly on the boundary is not contained).
    public func contains(_ c: Coordinate) throws -> Bool {
        try test("GEOSPreparedContains_r", { GEOSPreparedContains_r($0, $1, $2) }, against: { try $0.point(c) })
    }

    /// True when the point lies in the interior or on the boundary.
    public func covers(_ c: Coordinate) throws -> Bool {
        try test("GEOSPreparedCovers_r", { GEOSPreparedCovers_r($0, $1, $2) }, against: { try $0.point(c) })
    }

    /// True when `other` lies inside the prepared geometry.
    public func contains(_ other: Geometry) throws -> Bool {
        try test("GEOSPreparedContains_r", { GEOSPreparedContains_r($0, $1, $2) }, against: { try $0.make(other) })
    }

    /// True when `other` shares at least one point with the prepared geometry.
    public func intersects(_ other: Geometry) throws -> Bool {
        try test("GEOSPreparedIntersects_r", { GEOSPreparedIntersects_r($0, $1, $2) }, against: { try $0.make(other) })
    }
}
