import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Features
@testable import Server

@Suite struct ServiceRoutesTests {
    @Test func landingPageLinksToAPIConformanceAndCollections() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/json")
                for rel in ["\"service-desc\"", "\"conformance\"", "\"data\""] { #expect(r.text.contains(rel)) }
            }
            try await client.execute(uri: "/?f=html", method: .get) { r in
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                #expect(r.text.contains("<html lang=\"ja\">"))
            }
            try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html", .acceptLanguage: "en-GB"]) { r in
                #expect(r.text.contains("<html lang=\"en\">"))
            }
        }
    }

    @Test func openAPIDocumentsEveryRouteAndOnlyThose() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let router = try ChizuServer.router(catalog: f.catalog, store: f.store, recorder: f.recorder)
        let served = Set(router.routes.map { "\($0.method.rawValue.lowercased()) /" + "\($0.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/") })
        let documented = OpenAPI.endpoints.map { "\($0.method) \($0.path)" }
        #expect(Set(served) == Set(documented))
    }

    @Test func conformanceListsCoreGeoJSONHTMLCRSAndFiltering() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/conformance", method: .get) { r in
                for c in ["conf/core", "conf/geojson", "conf/html", "conf/oas30", "features-2/1.0/conf/crs", "features-3/1.0/conf/filter"] {
                    #expect(r.text.contains(c))
                }
            }
        }
    }

    @Test func unknownPathsAreProblemJSON() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/no/such/thing", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.headers[.contentType] == "application/problem+json")
                #expect(r.text.contains("\"status\":404"))
            }
        }
    }

    @Test func healthAndMetrics() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in #expect(r.text.contains("\"status\":\"ok\"")) }
            _ = try await client.execute(uri: "/collections", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("http_requests_total") || r.text.contains("hb_requests"))
            }
        }
    }

    @Test func servesOnARealSocket() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.live) { client in
            try await client.execute(uri: "/collections/manholes/items/MH-1", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/geo+json")
                #expect(r.text.contains("\"MH-1\""))
            }
        }
    }
}
