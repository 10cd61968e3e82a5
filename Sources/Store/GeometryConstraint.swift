import GeoCore

/// What a layer's geometry column accepts, checked from a WKB's header: the check SpatiaLite's
/// per-row trigger makes with `GeometryConstraints`, without decoding the geometry (the SRID is not
/// in WKB: the INSERT sets it).
struct GeometryConstraint: Sendable, Equatable {
    /// SpatiaLite's geometry_type code: 1–7 (Point … GeometryCollection) for XY, +1000 XYZ,
    /// +2000 XYM, +3000 XYZM; 0 accepts any geometry.
    let code: Int

    static func describe(_ code: Int) -> String {
        let dims = [0: "", 1: " Z", 2: " M", 3: " ZM"][code / 1000] ?? " (\(code / 1000))"
        return (GeometryType(rawValue: UInt32(code % 1000))?.name.uppercased() ?? "type \(code % 1000)") + dims
    }

    /// Why the column refuses this geometry, or nil if it takes it.
    func violation(_ wkb: [UInt8]) -> String? {
        guard let type = try? WKB.typeCode(wkb) else { return "no geometry (empty or unreadable WKB)" }
        guard code != 0, type != code else { return nil }
        return "\(Self.describe(type)) violates the column's geometry type \(Self.describe(code))"
    }
}
