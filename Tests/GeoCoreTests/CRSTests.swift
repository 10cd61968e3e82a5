import Testing
@testable import GeoCore

@Suite struct CRSTests {
    @Test func parsesCommonSpellings() {
        #expect(CRS(string: "EPSG:6677") == .jgd2011ZoneIX)
        #expect(CRS(string: "http://www.opengis.net/def/crs/OGC/1.3/CRS84") == .wgs84)
        #expect(CRS(string: "urn:ogc:def:crs:EPSG::3857") == .webMercator)
        #expect(CRS(string: "http://www.opengis.net/def/crs/EPSG/0/6677") == .jgd2011ZoneIX)
        #expect(CRS(string: "bogus") == nil)
    }

    @Test func axisOrderComesFromPROJ() {
        #expect(CRS.wgs84.isNorthFirst)            // latitude first
        #expect(CRS.jgd2011ZoneIX.isNorthFirst)    // survey X (northing) first
        #expect(!CRS.webMercator.isNorthFirst)
    }

    @Test func cityHallRoundTripsThroughWGS84() throws {
        let toLL = try CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84)
        let back = try CoordinateTransformer.between(.wgs84, .jgd2011ZoneIX)
        let hall = Coordinate(surveyX: -66116, surveyY: -47083)
        let ll = try toLL.transform(hall)
        #expect(abs(ll.x - 139.3144) < 0.01 && abs(ll.y - 35.3964) < 0.01)
        let again = try back.transform(ll)
        #expect(abs(again.x - hall.x) < 0.001 && abs(again.y - hall.y) < 0.001)
    }
}
