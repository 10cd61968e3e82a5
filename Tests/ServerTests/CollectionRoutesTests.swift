import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

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
}
