import Foundation
import GeoCore
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server
import Store

/// The tile containing the fixture's features (around Isehara city hall) at zoom 15.
let cityHallTile: TileKey = try! TileKey.containing(lonLat: Coordinate(x: 139.31497, y: 35.40294), zoom: 15)
/// The tile holding the fixture's camera C-01 (EPSG:6677 easting -47100, northing -65300).
let cameraTile: TileKey = {
    let ll = try! CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84).transform(Coordinate(x: -47100, y: -65300))
    return try! TileKey.containing(lonLat: ll, zoom: 15)
}()
func tilePath(_ tileset: String, _ k: TileKey = cityHallTile) -> String { "/tiles/\(tileset)/\(k.z)/\(k.x)/\(k.y).mvt" }

@Suite struct TileRoutesTests {
    @Test func publicTileHoldsPublicLayersOnly() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: tilePath("public"), method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/vnd.mapbox-vector-tile")
                #expect(r.headers[.contentEncoding] == nil)            // no Accept-Encoding: plain MVT
                #expect(r.text.contains("manholes"))
                #expect(!r.text.contains("yard_waste_points") && !r.text.contains("XC-200"))
                #expect(r.headers[.cacheControl]?.hasPrefix("public") == true)
            }
            try await client.execute(uri: tilePath("all"), method: .get, headers: f.headers("sanitation")) { r in
                #expect(r.status == .ok && r.text.contains("yard_waste_points"))
                #expect(r.headers[.cacheControl]?.hasPrefix("private") == true)
            }
        }
    }

    @Test func internalLayerTilesNeedRights() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let s1 = try await client.execute(uri: tilePath("yard_waste_points"), method: .get).status
            #expect(s1 == .notFound)
            let s2 = try await client.execute(uri: tilePath("yard_waste_points"), method: .get, headers: f.headers("sewer")).status
            #expect(s2 == .notFound)
            let s3 = try await client.execute(uri: tilePath("yard_waste_points"), method: .get, headers: f.headers("sanitation")).status
            #expect(s3 == .ok)
            let s4 = try await client.execute(uri: "/tiles/yard_waste_points.json", method: .get).status
            #expect(s4 == .notFound)
        }
    }

    @Test func internalFieldsFollowTheCaller() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let anon = try await client.execute(uri: tilePath("cameras", cameraTile), method: .get)
            let crisis = try await client.execute(uri: tilePath("cameras", cameraTile), method: .get, headers: f.headers("crisis_management"))
            #expect(anon.status == .ok && !anon.text.contains("XC-200"))
            #expect(crisis.status == .ok && crisis.text.contains("XC-200"))
            #expect(anon.headers[.eTag] != crisis.headers[.eTag])
        }
    }

    @Test func emptyTileIs204AndBadCoordinatesAre400() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let s5 = try await client.execute(uri: "/tiles/public/15/0/0.mvt", method: .get).status
            #expect(s5 == .noContent)
            for bad in ["/tiles/public/40/0/0.mvt", "/tiles/public/3/8/0.mvt", "/tiles/public/3/-1/0.mvt", "/tiles/public/a/b/c.mvt"] {
                let r = try await client.execute(uri: bad, method: .get)
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.headers[.contentType] == "application/problem+json")
            }
            let s6 = try await client.execute(uri: "/tiles/nosuch/15/0/0.mvt", method: .get).status
            #expect(s6 == .notFound)
        }
    }

    @Test func gzipETagAndReingest() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let first = try await client.execute(uri: tilePath("manholes"), method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(first.headers[.contentEncoding] == "gzip")
            let etag = try #require(first.headers[.eTag])
            let s7 = try await client.execute(uri: tilePath("manholes"), method: .get, headers: [.ifNoneMatch: etag]).status
            #expect(s7 == .notModified)
            // A client without gzip gets the tile inflated (and the inflated copy is kept for the next one).
            for _ in 0..<2 {
                let plain = try await client.execute(uri: tilePath("manholes"), method: .get)
                #expect(plain.headers[.contentEncoding] == nil && plain.headers[.eTag] == etag && plain.text.contains("MH-1"))
            }
            // A re-ingest bumps the layer version: the cached tile (gzip'd or inflated) is not served again.
            _ = try f.store.load([FeatureRecord(properties: ["manhole_id": .text("MH-NEW"), "kind": .text("雨水")], wkb: wkbPoint(-47083, -66116))],
                                 into: f.catalog.layer("manholes")!, mode: .replace, source: .init(files: ["t"], checksum: "1", startedAt: Date()), counts: .init())
            let after = try await client.execute(uri: tilePath("manholes"), method: .get)
            #expect(after.headers[.eTag] != etag)
            #expect(after.text.contains("MH-NEW") && !after.text.contains("MH-1\u{0}"))
        }
    }

    @Test func tileJSONAndOGCTiles() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/tiles/public.json", method: .get) { r in
                #expect(r.text.contains("\"tilejson\":\"3.0.0\"") && r.text.contains("vector_layers") && r.text.contains("{z}/{x}/{y}.mvt"))
            }
            try await client.execute(uri: "/collections/manholes/tiles", method: .get) { r in #expect(r.text.contains("WebMercatorQuad")) }
            let k = cityHallTile
            try await client.execute(uri: "/collections/manholes/tiles/WebMercatorQuad/\(k.z)/\(k.y)/\(k.x)", method: .get) { r in
                #expect(r.status == .ok && r.text.contains("manholes"))
            }
            try await client.execute(uri: "/tileMatrixSets/WebMercatorQuad", method: .get) { r in #expect(r.text.contains("\"matrixWidth\":32768")) }
        }
    }
}
