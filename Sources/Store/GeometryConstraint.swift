import Foundation

/// What a layer's geometry column accepts, checked from a WKB's header: the check SpatiaLite's
/// per-row trigger makes with `GeometryConstraints`, without parsing the geometry (the SRID is not
/// in WKB: the INSERT sets it).
struct GeometryConstraint: Sendable, Equatable {
    /// SpatiaLite's geometry_type code: 1–7 (Point … GeometryCollection) for XY, +1000 XYZ,
    /// +2000 XYM, +3000 XYZM; 0 accepts any geometry.
    let code: Int

    static let names = [1: "POINT", 2: "LINESTRING", 3: "POLYGON", 4: "MULTIPOINT", 5: "MULTILINESTRING",
                        6: "MULTIPOLYGON", 7: "GEOMETRYCOLLECTION"]

    /// The ISO type code of a WKB geometry (EWKB's Z/M flags folded in), or nil if it has no header.
    static func isoCode(_ wkb: [UInt8]) -> Int? {
        guard wkb.count >= 5, wkb[0] <= 1 else { return nil }
        let raw = wkb[0] == 1
            ? UInt32(wkb[1]) | UInt32(wkb[2]) << 8 | UInt32(wkb[3]) << 16 | UInt32(wkb[4]) << 24
            : UInt32(wkb[4]) | UInt32(wkb[3]) << 8 | UInt32(wkb[2]) << 16 | UInt32(wkb[1]) << 24
        var code = Int(raw & 0x0FFF_FFFF)
        if raw & 0x8000_0000 != 0 { code += 1000 }   // EWKB Z
        if raw & 0x4000_0000 != 0 { code += 2000 }   // EWKB M
        return code
    }

    static func describe(_ code: Int) -> String {
        let dims = [0: "", 1: " Z", 2: " M", 3: " ZM"][code / 1000] ?? " (\(code / 1000))"
        return (names[code % 1000] ?? "type \(code % 1000)") + dims
    }

    /// Why the column refuses this geometry, or nil if it takes it.
    func violation(_ wkb: [UInt8]) -> String? {
        guard let type = Self.isoCode(wkb) else { return "no geometry (empty or unreadable WKB)" }
        guard code != 0, type != code else { return nil }
        return "\(Self.describe(type)) violates the column's geometry type \(Self.describe(code))"
    }
}
