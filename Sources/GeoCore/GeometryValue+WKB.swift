extension GeometryValue {
    /// Parses WKB straight into a value (either byte order, ISO or EWKB; Z/M dropped), without the
    /// canonical re-encoding `Geometry(wkb:)` does: for hot paths such as tile rendering.
    public init(wkb: [UInt8]) throws {
        self = try WKBDecoder.decode(wkb).value
    }
}
