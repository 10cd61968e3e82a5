import CGEOS

/// Collects the last message GEOS reported through the context's error handler.
private final class GEOSMessageSink {
    var last: String?
}

/// One GEOS context handle, created for a single operation and finished when the operation ends.
///
/// GEOS contexts are not thread-safe; creating one per call (cheap: a small allocation) means a
/// context is never seen by two threads and never escapes GeoCore. Everything GEOS allocates
/// through this context is owned either by `GEOSGeometryHandle` or by this class, and freed here.
/// The one long-lived context belongs to a `PreparedGeometry`, which uses it only under its lock.
final class GEOSContext {
    let handle: GEOSContextHandle_t
    private let sink = GEOSMessageSink()
    private var wkbReader: OpaquePointer?
    private var wkbWriter: OpaquePointer?
    private var wktReader: OpaquePointer?

    init() throws {
        guard let handle = GEOS_init_r() else {
            throw GeometryError.geos(operation: "GEOS_init_r", message: "cannot create a GEOS context")
        }
        self.handle = handle
        // The sink lives as long as this context, which outlives every call that can report an error.
        let userdata = Unmanaged.passUnretained(sink).toOpaque()
        _ = GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let message, let userdata else { return }
            Unmanaged<GEOSMessageSink>.fromOpaque(userdata).takeUnretainedValue().last = String(cString: message)
        }, userdata)
    }

    deinit {
        if let r = wkbReader { GEOSWKBReader_destroy_r(handle, r) }
        if let w = wkbWriter { GEOSWKBWriter_destroy_r(handle, w) }
        if let r = wktReader { GEOSWKTReader_destroy_r(handle, r) }
        GEOS_finish_r(handle)
    }

    /// Runs `body` with a fresh context that is finished when `body` returns.
    ///
    /// Handles made inside `body` must not escape it; they keep the context alive, but the
    /// context must stay on the calling thread.
    static func run<T>(_ body: (GEOSContext) throws -> T) throws -> T {
        let ctx = try GEOSContext()
        return try body(ctx)
    }

    /// The GEOS error message for a failed call, consumed so the next failure is not confused with it.
    func failure(_ operation: String) -> GeometryError {
        defer { sink.last = nil }
        return .geos(operation: operation, message: sink.last ?? "no message from GEOS")
    }

    // MARK: Conversions

    /// A GEOS copy of `geometry`, made by GEOS's WKB reader.
    func make(_ geometry: Geometry) throws -> GEOSGeometryHandle {
        if wkbReader == nil { wkbReader = GEOSWKBReader_create_r(handle) }
        guard let reader = wkbReader else { throw failure("GEOSWKBReader_create_r") }
        let raw = geometry.wkb.withUnsafeBufferPointer { buf in
            GEOSWKBReader_read_r(handle, reader, buf.baseAddress, buf.count)
        }
        return try own(raw, "GEOSWKBReader_read_r")
    }

    /// A GEOS point, built directly (no WKB round trip) for hot point-in-polygon loops.
    func point(_ c: Coordinate) throws -> GEOSGeometryHandle {
        try own(GEOSGeom_createPointFromXY_r(handle, c.x, c.y), "GEOSGeom_createPointFromXY_r")
    }

    /// A GEOS geometry parsed from WKT, converted to a `Geometry`.
    func geometry(fromWKT text: String) throws -> Geometry {
        if wktReader == nil { wktReader = GEOSWKTReader_create_r(handle) }
        guard let reader = wktReader else { throw failure("GEOSWKTReader_create_r") }
        guard let raw = GEOSWKTReader_read_r(handle, reader, text) else {
            defer { sink.last = nil }
            throw GeometryError.invalidWKT(sink.last ?? "GEOS could not parse the text")
        }
        let owned = GEOSGeometryHandle(context: self, pointer: raw)
        do {
            return try geometry(owned)
        } catch let GeometryError.invalidWKB(m) {
            throw GeometryError.invalidWKT(m)
        }
    }

    /// Converts a GEOS geometry back to a `Geometry` through 2D ISO WKB.
    func geometry(_ g: GEOSGeometryHandle) throws -> Geometry {
        if wkbWriter == nil {
            guard let w = GEOSWKBWriter_create_r(handle) else { throw failure("GEOSWKBWriter_create_r") }
            GEOSWKBWriter_setOutputDimension_r(handle, w, 2)
            GEOSWKBWriter_setByteOrder_r(handle, w, Int32(GEOS_WKB_NDR.rawValue))
            GEOSWKBWriter_setFlavor_r(handle, w, Int32(GEOS_WKB_ISO.rawValue))
            wkbWriter = w
        }
        var size = 0
        guard let buf = GEOSWKBWriter_write_r(handle, wkbWriter, g.pointer, &size) else {
            throw failure("GEOSWKBWriter_write_r")
        }
        defer { GEOSFree_r(handle, buf) }
        return try Geometry(wkb: Array(UnsafeBufferPointer(start: buf, count: size)))
    }

    // MARK: Result checking

    /// Takes ownership of a geometry GEOS returned, or throws GEOS's message when it returned NULL.
    func own(_ pointer: OpaquePointer?, _ operation: String) throws -> GEOSGeometryHandle {
        guard let pointer else { throw failure(operation) }
        return GEOSGeometryHandle(context: self, pointer: pointer)
    }

    /// Interprets a GEOS predicate result: 1 true, 0 false, 2 exception.
    func predicate(_ result: CChar, _ operation: String) throws -> Bool {
        switch result {
        case 1: return true
        case 0: return false
        default: throw failure(operation)
        }
    }

    /// Runs a GEOS measure that writes a double and returns 0 on failure.
    func measure(_ operation: String, _ call: (UnsafeMutablePointer<Double>) -> Int32) throws -> Double {
        var value = 0.0
        guard call(&value) != 0 else { throw failure(operation) }
        return value
    }
}

/// Owns one GEOS geometry and destroys it with the context that made it.
final class GEOSGeometryHandle {
    let context: GEOSContext
    let pointer: OpaquePointer

    init(context: GEOSContext, pointer: OpaquePointer) {
        self.context = context
        self.pointer = pointer
    }

    deinit { GEOSGeom_destroy_r(context.handle, pointer) }
}
