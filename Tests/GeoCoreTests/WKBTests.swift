import Foundation
import Testing
@testable import GeoCore

@Suite struct WKBTests {
    typealias F = Fixtures

    @Test func everyTypeRoundTripsThroughWKB() throws {
        for v in F.everyType {
            let g = try Geometry(v)
            #expect(try Geometry(wkb: g.wkb) == g, "\(v.geometryType)")
            #expect(try Geometry(wkb: g.wkbData) == g)
        }
    }

    @Test func pointIsWrittenAsLittleEndianISOWKB() {
        let g = Geometry.point(Coordinate(x: 1, y: 2))
        #expect(g.wkbHex == "0101000000000000000000F03F0000000000000040")
    }

    @Test func bigEndianWKBIsRead() throws {
        let g = try Geometry(wkbHex: "00000000013FF00000000000004000000000000000")
        #expect(g.value == .point(Coordinate(x: 1, y: 2)))
    }

    @Test func ewkbSRIDIsReadAndReported() throws {
        // PostGIS: ST_AsEWKB('SRID=4326;POINT(1 2)')
        let hex = "0101000020E6100000000000000000F03F0000000000000040"
        let bytes = try Geometry(wkbHex: hex).wkb
        #expect(bytes == Geometry.point(Coordinate(x: 1, y: 2)).wkb)
        var raw: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            raw.append(UInt8(hex[i..<j], radix: 16) ?? 0)
            i = j
        }
        let (geometry, srid) = try Geometry.fromEWKB(raw)
        #expect(srid == 4326)
        #expect(geometry.value == .point(Coordinate(x: 1, y: 2)))
    }

    @Test func isoZCoordinatesAreDropped() throws {
        // ISO POINT Z (1 2 3): type 1001.
        let g = try Geometry(wkbHex: "01E9030000000000000000F03F00000000000000400000000000000840")
        #expect(g.value == .point(Coordinate(x: 1, y: 2)))
        #expect(g.wkb.count == 21)
    }

    @Test func ewkbZMLineStringIsReadAs2D() throws {
        // EWKB LINESTRING ZM (0 0 7 8, 1 1 7 8): Z and M flags set on type 2.
        var bytes: [UInt8] = [1]
        bytes += withUnsafeBytes(of: (UInt32(2) | 0xC000_0000).littleEndian, Array.init)
        bytes += withUnsafeBytes(of: UInt32(2).littleEndian, Array.init)
        for v in [0.0, 0, 7, 8, 1, 1, 7, 8] { bytes += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        #expect(try Geometry(wkb: bytes).value == .lineString([Coordinate(x: 0, y: 0), Coordinate(x: 1, y: 1)]))
    }

    @Test func truncatedWKBSaysWhereItEnded() {
        let bytes = Array(Geometry.point(Coordinate(x: 1, y: 2)).wkb.dropLast(3))
        #expect(throws: GeometryError.invalidWKB("unexpected end of data at byte 5: needed 16 more bytes, 13 left")) {
            try Geometry(wkb: bytes)
        }
    }

    @Test func emptyPointsHaveOneCanonicalEncoding() throws {
        // POINT EMPTY with a negative, payload-carrying NaN, as some writers produce.
        let odd = Double(bitPattern: 0xFFF8_0000_0000_0001)
        var bytes: [UInt8] = [1, 1, 0, 0, 0]
        for _ in 0..<2 { bytes += withUnsafeBytes(of: odd.bitPattern.littleEndian, Array.init) }
        #expect(try Geometry(wkb: bytes) == Geometry.emptyPoint)
    }

    @Test func unknownTypeCodeIsRejected() {
        #expect(throws: GeometryError.invalidWKB("unknown geometry type code 9 at byte 1")) {
            try Geometry(wkbHex: "0109000000")
        }
    }

    @Test func trailingBytesAreRejected() {
        let bytes = Geometry.point(Coordinate(x: 1, y: 2)).wkb + [0]
        #expect(throws: GeometryError.invalidWKB("1 unexpected bytes after the geometry, which ended at byte 21")) {
            try Geometry(wkb: bytes)
        }
    }

    @Test func absurdCountIsRejectedWithoutAllocating() {
        // A line string claiming 2^32-1 positions in 9 bytes.
        #expect(throws: GeometryError.invalidWKB("count of 4294967295 positions at byte 5 cannot fit in the 0 bytes left")) {
            try Geometry(wkbHex: "0102000000FFFFFFFF")
        }
    }

    @Test func badByteOrderMarkIsRejected() {
        #expect(throws: GeometryError.self) { try Geometry(wkbHex: "0201000000") }
        #expect(throws: GeometryError.self) { try Geometry(wkbHex: "01Z1") }
    }

    @Test func wrongMemberTypeInsideMultiPointIsRejected() throws {
        // MULTIPOINT whose member claims to be a LineString.
        let line = try Geometry(.lineString([Coordinate(x: 0, y: 0), Coordinate(x: 1, y: 1)]))
        let bytes: [UInt8] = [1, 4, 0, 0, 0, 1, 0, 0, 0] + line.wkb
        #expect(throws: GeometryError.invalidWKB("Point expected at byte 9, found LineString")) { try Geometry(wkb: bytes) }
    }

    @Test func unclosedRingInWKBIsRejected() {
        let open = WKBEncoder.encode(.polygon([[Coordinate(x: 0, y: 0), Coordinate(x: 1, y: 0),
                                                Coordinate(x: 1, y: 1), Coordinate(x: 0, y: 1)]]))
        #expect(throws: GeometryError.self) { try Geometry(wkb: open) }
    }

    @Test func ourWKBMatchesGEOSWriterByteForByte() throws {
        for v in F.everyType where !(v.geometryType == .point && v.isEmpty) {
            let g = try Geometry(v)
            #expect(try Geometry(wkt: g.wkt()).wkb == g.wkb, "\(g.wkt())")
        }
    }

    @Test func envelopeWalksEveryGeometryKindAndByteOrderInPlace() throws {
        func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        func le64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        func be32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
        func be64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.bigEndian, Array.init) }
        func point(_ x: Double, _ y: Double) -> [UInt8] { [1] + le32(1) + le64(x) + le64(y) }
        func line(_ pts: [(Double, Double)]) -> [UInt8] { [1] + le32(2) + le32(UInt32(pts.count)) + pts.flatMap { le64($0.0) + le64($0.1) } }
        #expect(try WKB.envelope(point(3, 4)) == BoundingBox(minX: 3, minY: 4, maxX: 3, maxY: 4))
        #expect(try WKB.envelope(line([(5, -1), (2, 7), (4, 0)])) == BoundingBox(minX: 2, minY: -1, maxX: 5, maxY: 7))
        // A big-endian multipolygon of one ring, and a collection with a Z point (EWKB flag).
        let ring: [(Double, Double)] = [(0, 0), (10, 0), (10, 20), (0, 0)]
        let polygon = [0] + be32(3) + be32(1) + be32(4) + ring.flatMap { be64($0.0) + be64($0.1) }
        #expect(try WKB.envelope([0] + be32(6) + be32(1) + polygon) == BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 20))
        let pointZ: [UInt8] = [1] + le32(0x8000_0001) + le64(-1) + le64(-2) + le64(99)
        #expect(try WKB.envelope([1] + le32(7) + le32(2) + pointZ + point(1, 1)) == BoundingBox(minX: -1, minY: -2, maxX: 1, maxY: 1))
        #expect(try WKB.envelope(point(.nan, .nan)) == nil)                                      // POINT EMPTY
        #expect(throws: GeometryError.self) { try WKB.envelope(Array(line([(0, 0), (1, 1)]).dropLast(3))) }  // truncated
        #expect(throws: GeometryError.self) { try WKB.envelope([1] + le32(5) + le32(4_000_000_000)) }         // absurd count
        #expect(throws: GeometryError.self) { try WKB.envelope([]) }
        // The header alone gives SpatiaLite's type code, EWKB flags and ISO dimensions alike.
        #expect(try WKB.typeCode(pointZ) == 1001 && WKB.typeCode([1] + le32(1002) + le32(0)) == 1002)
        #expect(try WKB.typeCode(line([(0, 0), (1, 1)])) == 2)
    }
}
