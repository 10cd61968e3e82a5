import CPROJ
import Foundation
import Synchronization

/// A coordinate reference system Chizu works with, named by its EPSG code.
///
/// Axis order is always handled explicitly: every `Coordinate` in Chizu is **(x = easting or
/// longitude, y = northing or latitude)**, whatever the CRS's official axis order says. EPSG:6677's
/// official order is (X northing, Y easting) — the Japanese survey convention — and EPSG:4326's is
/// (latitude, longitude); readers that meet those conventions swap at the edge, never in between.
public struct CRS: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The EPSG code, e.g. 6677.
    public let epsg: Int

    public init(epsg: Int) { self.epsg = epsg }

    /// JGD2011 / Japan Plane Rectangular CS IX (Kanagawa, Tokyo, ...), metres. Chizu's storage CRS.
    public static let jgd2011ZoneIX = CRS(epsg: 6677)
    /// WGS 84 longitude/latitude (GeoJSON's RFC 7946 "CRS84" when used in lon/lat order).
    public static let wgs84 = CRS(epsg: 4326)
    /// WGS 84 / Pseudo-Mercator, the CRS of web map tiles.
    public static let webMercator = CRS(epsg: 3857)

    /// Parses "EPSG:6677", "6677", "urn:ogc:def:crs:EPSG::6677", the OGC URIs
    /// `http://www.opengis.net/def/crs/EPSG/0/6677` and `.../OGC/1.3/CRS84` (= EPSG:4326 in lon/lat order).
    public init?(string: String) {
        let s = string.trimmingCharacters(in: .whitespaces)
        let upper = s.uppercased()
        if upper.hasSuffix("CRS84") || upper == "OGC:CRS84" { self.init(epsg: 4326); return }
        let digits = upper.reversed().prefix { $0.isNumber }
        guard !digits.isEmpty, let code = Int(String(digits.reversed())) else { return nil }
        let head = upper.dropLast(digits.count)
        let known = ["", "EPSG:", "URN:OGC:DEF:CRS:EPSG::", "URN:OGC:DEF:CRS:EPSG:0:",
                     "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/", "HTTPS://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/"]
        guard known.contains(String(head)) else { return nil }
        self.init(epsg: code)
    }

    /// "EPSG:6677".
    public var description: String { "EPSG:\(epsg)" }

    /// The OGC URI (`http://www.opengis.net/def/crs/EPSG/0/6677`).
    public var uri: String { "http://www.opengis.net/def/crs/EPSG/0/\(epsg)" }

    /// True for geographic (degree) CRSs such as EPSG:4326.
    public var isGeographic: Bool { CRSInfo.isGeographic(epsg: epsg) }

    /// True when the CRS's official first axis points north: latitude first for EPSG:4326,
    /// northing (survey X) first for EPSG:6677. Formats that follow the CRS's axis order (OGC API
    /// Features Part 2, GML) must swap Chizu's (east, north) coordinates for these.
    public var isNorthFirst: Bool { CRSInfo.isNorthFirst(epsg: epsg) }
}

/// A 2D position in (x = easting/longitude, y = northing/latitude) order.
public struct Coordinate: Hashable, Sendable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
    /// Builds a coordinate from Japanese survey values, where X is northing and Y easting.
    public init(surveyX northing: Double, surveyY easting: Double) { self.x = easting; self.y = northing }
    public var isFinite: Bool { x.isFinite && y.isFinite }
    public var description: String { "(\(x), \(y))" }
}

/// Errors from PROJ.
public enum ProjectionError: Error, CustomStringConvertible, Equatable {
    case cannotCreate(from: CRS, to: CRS, reason: String)
    case transformFailed(from: CRS, to: CRS, x: Double, y: Double, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(from, to, reason): "PROJ cannot build a transformation \(from) → \(to): \(reason)"
        case let .transformFailed(from, to, x, y, reason): "PROJ cannot transform (\(x), \(y)) from \(from) to \(to): \(reason)"
        }
    }
}

/// Owns a PROJ context and a normalised transformation (x = east/lon, y = north/lat on both sides).
/// PROJ objects are not thread-safe, so every call takes the lock; the context never leaves this type.
private final class ProjHandle: @unchecked Sendable {
    // Safe: `ctx` and `pj` are only touched while `lock` is held, and freed once in deinit.
    let lock = Mutex(())
    let ctx: OpaquePointer
    let pj: OpaquePointer
    let from: CRS, to: CRS

    init(from: CRS, to: CRS) throws {
        guard let ctx = proj_context_create() else {
            throw ProjectionError.cannotCreate(from: from, to: to, reason: "no PROJ context")
        }
        proj_log_level(ctx, PJ_LOG_NONE)
        guard let raw = proj_create_crs_to_crs(ctx, from.description, to.description, nil) else {
            let reason = String(cString: proj_context_errno_string(ctx, proj_context_errno(ctx)))
            proj_context_destroy(ctx)
            throw ProjectionError.cannotCreate(from: from, to: to, reason: reason)
        }
        guard let norm = proj_normalize_for_visualization(ctx, raw) else {
            proj_destroy(raw); proj_context_destroy(ctx)
            throw ProjectionError.cannotCreate(from: from, to: to, reason: "cannot normalise axis order")
        }
        proj_destroy(raw)
        self.ctx = ctx; self.pj = norm; self.from = from; self.to = to
    }

    deinit {
        proj_destroy(pj)
        proj_context_destroy(ctx)
    }

    func transform(_ xs: inout [Double], _ ys: inout [Double]) throws {
        precondition(xs.count == ys.count)
        let n = xs.count
        if n == 0 { return }
        try lock.withLock { _ in
            proj_errno_reset(pj)
            let stride = MemoryLayout<Double>.stride
            xs.withUnsafeMutableBufferPointer { xb in
                ys.withUnsafeMutableBufferPointer { yb in
                    _ = proj_trans_generic(pj, PJ_FWD, xb.baseAddress, stride, n, yb.baseAddress, stride, n,
                                           nil, 0, 0, nil, 0, 0)
                }
            }
            for i in 0..<n where !(xs[i].isFinite && ys[i].isFinite) {
                let code = proj_errno(pj)
                let reason = code == 0 ? "coordinate outside the CRS's domain"
                    : String(cString: proj_context_errno_string(ctx, code))
                throw ProjectionError.transformFailed(from: from, to: to, x: xs[i], y: ys[i], reason: reason)
            }
        }
    }
}

/// A cached, thread-safe transformation between two CRSs in (east, north) axis order.
///
/// Obtain with `CoordinateTransformer.between(_:_:)`; instances are shared and cheap to reuse.
public struct CoordinateTransformer: Sendable {
    public let source: CRS
    public let target: CRS
    private let handle: ProjHandle?

    private static let cache = Mutex<[CRSPair: ProjHandle]>([:])
    private struct CRSPair: Hashable { let a: CRS, b: CRS }

    /// The cached transformer from `source` to `target` (identity when they are equal).
    public static func between(_ source: CRS, _ target: CRS) throws -> CoordinateTransformer {
        if source == target { return CoordinateTransformer(source: source, target: target, handle: nil) }
        let key = CRSPair(a: source, b: target)
        if let h = cache.withLock({ $0[key] }) {
            return CoordinateTransformer(source: source, target: target, handle: h)
        }
        let h = try ProjHandle(from: source, to: target)
        let shared = cache.withLock { dict in
            if let existing = dict[key] { return existing }
            dict[key] = h
            return h
        }
        return CoordinateTransformer(source: source, target: target, handle: shared)
    }

    /// Transforms one coordinate.
    public func transform(_ c: Coordinate) throws -> Coordinate {
        guard let handle else { return c }
        var xs = [c.x], ys = [c.y]
        try handle.transform(&xs, &ys)
        return Coordinate(x: xs[0], y: ys[0])
    }

    /// Transforms many coordinates in one PROJ call.
    public func transform(_ cs: [Coordinate]) throws -> [Coordinate] {
        guard let handle else { return cs }
        var xs = cs.map(\.x), ys = cs.map(\.y)
        try handle.transform(&xs, &ys)
        return (0..<cs.count).map { Coordinate(x: xs[$0], y: ys[$0]) }
    }
}

/// Small facts about CRSs, looked up from PROJ's database once and cached.
enum CRSInfo {
    private static let geographic = Mutex<[Int: Bool]>([:])

    static func isGeographic(epsg: Int) -> Bool {
        if let v = geographic.withLock({ $0[epsg] }) { return v }
        var result = false
        if let ctx = proj_context_create() {
            proj_log_level(ctx, PJ_LOG_NONE)
            if let crs = proj_create(ctx, "EPSG:\(epsg)") {
                let t = proj_get_type(crs)
                result = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS || t == PJ_TYPE_GEOGRAPHIC_CRS
                proj_destroy(crs)
            }
            proj_context_destroy(ctx)
        }
        geographic.withLock { $0[epsg] = result }
        return result
    }

    private static let northFirst = Mutex<[Int: Bool]>([:])

    static func isNorthFirst(epsg: Int) -> Bool {
        if let v = northFirst.withLock({ $0[epsg] }) { return v }
        var result = false
        if let ctx = proj_context_create() {
            proj_log_level(ctx, PJ_LOG_NONE)
            if let crs = proj_create(ctx, "EPSG:\(epsg)") {
                // A compound or bound CRS has no coordinate system of its own; those are not used here.
                if let cs = proj_crs_get_coordinate_system(ctx, crs) {
                    var direction: UnsafePointer<CChar>?
                    if proj_cs_get_axis_info(ctx, cs, 0, nil, nil, &direction, nil, nil, nil, nil) != 0, let direction {
                        result = String(cString: direction).lowercased() == "north"
                    }
                    proj_destroy(cs)
                }
                proj_destroy(crs)
            }
            proj_context_destroy(ctx)
        }
        northFirst.withLock { $0[epsg] = result }
        return result
    }

    /// True when PROJ knows the EPSG code.
    static func exists(epsg: Int) -> Bool {
        guard let ctx = proj_context_create() else { return false }
        defer { proj_context_destroy(ctx) }
        proj_log_level(ctx, PJ_LOG_NONE)
        guard let crs = proj_create(ctx, "EPSG:\(epsg)") else { return false }
        proj_destroy(crs)
        return true
    }
}

extension CRS {
    /// True when PROJ's database knows this CRS.
    public var isKnown: Bool { CRSInfo.exists(epsg: epsg) }
}
