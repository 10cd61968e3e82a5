import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server
import Store

@Suite struct CollectionRoutesTests {
    @Test func collectionMetadataHasCRSListsLicenceAndExtent() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/collections/manholes", method: .get) { r in
                #expect(r.text.contains("\"storageCrs\":\"http://www.opengis.net/def/crs/EPSG/0/6677\""))
                #expect(r.text.contains("OGC/1.3/CRS84"))
                #expect(r.text.contains("\"license\":\"CC-BY-4.0\""))
                #expect(r.text.contains("\"extent\":{\"spatial\""))
            }
        }
    }

    @Test func itemCoordinatesFollowTheRequestedCRSAxisOrder() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/collections/manholes/items/MH-1?crs=http://www.opengis.net/def/crs/EPSG/0/6677", method: .get) { r in
                #expect(r.text.contains("\"coordinates\":[-66116,-47083]"))   // X northing first
                #expect(r.headers[.init("Content-Crs")!] == "<http://www.opengis.net/def/crs/EPSG/0/6677>")
            }
            try await client.execute(uri: "/collections/manholes/items/MH-1", method: .get) { r in
                #expect(r.text.contains("\"coordinates\":[139.31"))            // CRS84: lon first
            }
            try await client.execute(uri: "/collections/manholes/items/MH-1?crs=EPSG:4326", method: .get) { r in
                #expect(r.text.contains("\"coordinates\":[35.4"))              // EPSG:4326: lat first
            }
        }
    }

    @Test func unsupportedCRSIsABadRequestNamingTheParameter() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/collections/manholes/items/MH-1?crs=EPSG:2451", method: .get) { r in
                #expect(r.status == .badRequest)
                #expect(r.headers[.contentType] == "application/problem+json")
                #expect(r.text.contains("\"parameter\":\"crs\""))
            }
            try await client.execute(uri: "/collections/manholes?f=xml", method: .get) { r in
                #expect(r.status == .badRequest && r.text.contains("\"parameter\":\"f\""))
            }
        }
    }

    @Test func etagRevalidationAnswers304() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let first = try await client.execute(uri: "/collections/manholes/items/MH-1", method: .get)
            let etag = try #require(first.headers[.eTag])
            try await client.execute(uri: "/collections/manholes/items/MH-1", method: .get, headers: [.ifNoneMatch: etag]) { r in
                #expect(r.status == .notModified)
            }
            // A caller with other rights never shares the validator.
            let asAdmin = try await client.execute(uri: "/collections/manholes/items/MH-1", method: .get, headers: f.headers("admin"))
            #expect(asAdmin.headers[.eTag] != etag)
        }
    }

    @Test func largeResponsesAreGzippedWhenAccepted() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/api", method: .get, headers: [.acceptEncoding: "gzip, br"]) { r in
                #expect(r.headers[.contentEncoding] == "gzip")
                #expect(Array(r.body.readableBytesView.prefix(2)) == [0x1f, 0x8b])
            }
            try await client.execute(uri: "/api", method: .get) { r in #expect(r.headers[.contentEncoding] == nil) }
        }
    }

    @Test func itemsPageWithNextAndPrevLinks() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let layer = f.catalog.layer("manholes")!
        _ = try f.store.load((0..<25).map { FeatureRecord(properties: ["manhole_id": .text("M\($0)")], wkb: wkbPoint(-47083 + Double($0), -66116)) },
                             into: layer, mode: .replace, source: .init(files: ["t"], checksum: "0", startedAt: Date()), counts: .init())
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/collections/manholes/items?limit=10&offset=10", method: .get) { r in
                #expect(r.text.contains("\"numberMatched\":25,\"numberReturned\":10"))
                #expect(r.text.contains("limit=10&offset=20\",\"rel\":\"next\""))
                #expect(r.text.contains("limit=10&offset=0\",\"rel\":\"prev\""))
            }
            try await client.execute(uri: "/collections/manholes/items?limit=20000", method: .get) { r in
                #expect(r.text.contains("\"numberReturned\":25"))    // clamped to the maximum, not refused
            }
            for bad in ["limit=0", "limit=x", "offset=-1", "bbox=1,2,3", "bbox=139.4,35,139.3,35.5", "bbox-crs=EPSG:4326", "datetime=yesterday",
                        "crs=EPSG:2451", "nosuch=1", "limit=1&limit=2"] {
                try await client.execute(uri: "/collections/manholes/items?\(bad)", method: .get) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                    #expect(r.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }

    @Test func bboxInCRS84AndInTheStorageCRS() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/collections/manholes/items?bbox=139.31,35.40,139.32,35.41", method: .get) { r in
                #expect(r.text.contains("\"numberMatched\":1"))
            }
            try await client.execute(uri: "/collections/manholes/items?bbox=139.0,35.0,139.1,35.1", method: .get) { r in
                #expect(r.text.contains("\"numberMatched\":0"))
            }
            // EPSG:6677 boxes are in its axis order: northing first.
            let box = "-66200,-47100,-66100,-47000"
            try await client.execute(uri: "/collections/manholes/items?bbox=\(box)&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/6677", method: .get) { r in
                #expect(r.text.contains("\"numberMatched\":1"))
            }
        }
    }

    @Test func csvOpensInExcel() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/collections/manholes/items?f=csv", method: .get) { r in
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(Array(r.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
                #expect(r.text.contains("manhole_id,kind,ground_height_m,depth_m,district,geometry_wkt\r\n"))
                #expect(r.text.contains("MH-1,汚水,,,,POINT (139.31"))
            }
        }
    }
}
