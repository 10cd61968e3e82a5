import Foundation
import Testing
@testable import Tiles

@Suite struct MVTEncoderTests {
    @Test func zigZagMapsSmallMagnitudesToSmallNumbers() {
        #expect([0, -1, 1, -2, 2].map { ZigZag.encode($0) } == [0, 1, 2, 3, 4])
        #expect(ZigZag.encode(Int32.max) == 4_294_967_294)
        #expect(ZigZag.encode(Int32.min) == 4_294_967_295)
        for n: Int32 in [0, 1, -1, 4095, -4096, Int32.max, Int32.min] { #expect(ZigZag.decode(ZigZag.encode(n)) == n) }
    }

    // The command streams below are the worked examples of the MVT 2.1 specification, section 4.3.5.
    @Test func pointIsOneMoveToWithZigZaggedPosition() {
        #expect(MVTEncoder.commands(.points([TilePoint(25, 17)])) == [9, 50, 34])
    }

    @Test func multiPointIsOneMoveToWithCountAndDeltas() {
        #expect(MVTEncoder.commands(.points([TilePoint(5, 7), TilePoint(3, 2)])) == [17, 10, 14, 3, 9])
    }

    @Test func lineIsMoveToThenLineToWithDeltas() {
        let line = [TilePoint(2, 2), TilePoint(2, 10), TilePoint(10, 10)]
        #expect(MVTEncoder.commands(.lines([line])) == [9, 4, 4, 18, 0, 16, 16, 0])
    }

    @Test func multiLineContinuesFromTheCursor() {
        let lines = [[TilePoint(2, 2), TilePoint(2, 10), TilePoint(10, 10)], [TilePoint(1, 1), TilePoint(3, 5)]]
        #expect(MVTEncoder.commands(.lines(lines)) == [9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8])
    }

    @Test func polygonRingOmitsItsClosingPointAndEndsWithClosePath() {
        let ring = [TilePoint(3, 6), TilePoint(8, 12), TilePoint(20, 34), TilePoint(3, 6)]
        #expect(MVTEncoder.commands(.polygons([[ring]])) == [9, 6, 12, 18, 10, 12, 24, 44, 15])
    }

    @Test func exteriorRingsComeOutClockwiseAndHolesCounterClockwise() {
        // Given the other way round (exterior counter-clockwise in tile coordinates, hole clockwise).
        let exterior = [TilePoint(0, 0), TilePoint(0, 100), TilePoint(100, 100), TilePoint(100, 0), TilePoint(0, 0)]
        let hole = [TilePoint(20, 20), TilePoint(80, 20), TilePoint(80, 80), TilePoint(20, 80), TilePoint(20, 20)]
        #expect(signedDoubleArea(exterior) < 0 && signedDoubleArea(hole) > 0)
        let rings = DecodedTile.paths(MVTEncoder.commands(.polygons([[exterior, hole]])))
        #expect(rings.count == 2)
        #expect(signedDoubleArea(Array(rings[0].dropLast())) > 0)
        #expect(signedDoubleArea(Array(rings[1].dropLast())) < 0)
    }

    @Test func oneFeatureTileMatchesHandComputedBytes() {
        let feature = MVTFeature(id: 1, properties: [("k", .string("v"))], geometry: .points([TilePoint(25, 17)]))
        let bytes = MVTEncoder.encode([MVTLayer(name: "a", features: [feature])])
        let featureBytes: [UInt8] = [0x08, 0x01, 0x12, 0x02, 0x00, 0x00, 0x18, 0x01, 0x22, 0x03, 0x09, 0x32, 0x22]
        let layer: [UInt8] = [0x78, 0x02, 0x0a, 0x01, 0x61, 0x12, 0x0d] + featureBytes
            + [0x1a, 0x01, 0x6b, 0x22, 0x03, 0x0a, 0x01, 0x76, 0x28, 0x80, 0x20]
        #expect(bytes == [0x1a, UInt8(layer.count)] + layer)
    }

    @Test func keysAndValuesAreStoredOncePerLayer() throws {
        let props: [(key: String, value: MVTValue)] = [("kind", .string("汚水")), ("depth", .double(2.5)), ("n", .int(-3)), ("ok", .bool(true))]
        let features = (0..<5).map { MVTFeature(id: UInt64($0), properties: props, geometry: .points([TilePoint(Int32($0), 1)])) }
        let decoded = try DecodedTile(Data(MVTEncoder.encode([MVTLayer(name: "m", features: features)])))
        let layer = try #require(decoded.layer("m"))
        #expect(layer.keys == ["kind", "depth", "n", "ok"])
        #expect(layer.values == [.string("汚水"), .double(2.5), .int(-3), .bool(true)])
        #expect(layer.features.count == 5)
        #expect(layer.features.allSatisfy { $0.properties["n"] == .int(-3) && $0.properties["kind"] == .string("汚水") })
        #expect(layer.features.map(\.id) == [0, 1, 2, 3, 4])
    }

    @Test func layersWithoutFeaturesAreLeftOut() {
        #expect(MVTEncoder.encode([MVTLayer(name: "empty", features: [])]).isEmpty)
    }

    @Test func theNumberMapKeepsEveryEntryAsItGrows() {
        var map = NumberMap(capacity: 2)
        for k in 0..<5000 { #expect(map.value(for: Int32(k * 7), orInsert: UInt32(k)) == UInt32(k)) }
        for k in 0..<5000 { #expect(map.value(for: Int32(k * 7), orInsert: 99_999) == UInt32(k)) }
    }
}
