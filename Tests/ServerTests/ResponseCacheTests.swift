import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
@testable import Server

/// The items page cache: repeated pages come from memory, but never across a re-ingest, a change of
/// rights or a change of language.
@Suite struct ResponseCacheTests {
    @Test func repeatedPageIsServedFromTheCacheUntilTheLayerIsReplaced() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let uri = "/collections/manholes/items?limit=10"
            let first = try await client.execute(uri: uri, method: .get)
            let second = try await client.execute(uri: uri, method: .get)
            #expect(first.text.contains("MH-1") && second.text == first.text)
            #expect(second.headers[.eTag] == first.headers[.eTag])
            _ = try f.store.load([FeatureRecord(properties: ["manhole_id": .text("MH-NEW"), "kind": .text("雨水")], wkb: wkbPoint(-47083, -66116))],
                                 into: f.catalog.layer("manholes")!, mode: .replace, source: .init(files: ["t"], checksum: "1", startedAt: Date()),
                                 counts: .init())
            let after = try await client.execute(uri: uri, method: .get)
            #expect(after.text.contains("MH-NEW") && !after.text.contains("\"MH-1\""))
            #expect(after.headers[.eTag] != first.headers[.eTag])
        }
    }

    @Test func aCachedPageNeverReachesACallerWithFewerRights() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let uri = "/collections/cameras/items"
            let staff = try await client.execute(uri: uri, method: .get, headers: f.headers("crisis_management"))
            #expect(staff.text.contains("XC-200"))
            let anonymous = try await client.execute(uri: uri, method: .get)
            #expect(anonymous.status == .ok && anonymous.text.contains("C-01") && !anonymous.text.contains("XC-200"))
        }
    }

    @Test func htmlPagesAreCachedPerLanguage() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let uri = "/collections/manholes/items?f=html"
            let ja = try await client.execute(uri: uri, method: .get, headers: [.acceptLanguage: "ja"])
            let en = try await client.execute(uri: uri, method: .get, headers: [.acceptLanguage: "en"])
            #expect(ja.text.contains("lang=\"ja\"") && en.text.contains("lang=\"en\""))
        }
    }
}
