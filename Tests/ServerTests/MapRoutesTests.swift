import Foundation
import Hummingbird
import HummingbirdTesting
import Layers
import Logging
import Testing
import TestSupport
@testable import Server

/// The web map's routes: the page, its files, the caller's style and the administrators' dashboard.
@Suite struct MapRoutesTests {
    /// The fixture's app with the repository's `web/` folder and a temporary vendor folder.
    func mapApp(_ f: ServerFixture, basemap: MapSettings.Basemap? = nil) throws -> some ApplicationProtocol {
        let vendor = f.dir.appendingPathComponent("vendor")
        try FileManager.default.createDirectory(at: vendor, withIntermediateDirectories: true)
        try Data("/* maplibre */".utf8).write(to: vendor.appendingPathComponent("maplibre-gl.js"))
        try Data("secret".utf8).write(to: f.dir.appendingPathComponent("outside.js"))
        let map = MapSettings(basemap: basemap, center: [139.314, 35.403], zoom: 13,
                              webDirectory: TestSupport.repositoryRoot.appendingPathComponent("web").path, vendorDirectory: vendor.path)
        let settings = ServerSettings(city: ChizuSettings(map: map))
        return Application(router: try ChizuServer.router(catalog: f.catalog, store: f.store, recorder: f.recorder, settings: settings),
                           configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                           logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func json(_ r: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any])
    }

    @Test func pageAndFilesAreServed() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await mapApp(f).test(.router) { client in
            try await client.execute(uri: "/map", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "text/html; charset=utf-8")
                #expect(r.text.contains("伊勢原市 地図") && r.text.contains("/map/vendor/maplibre-gl.js"))
            }
            try await client.execute(uri: "/map/static/app.js", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(r.headers[.eTag] != nil)
            }
            try await client.execute(uri: "/map/vendor/maplibre-gl.js", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html"]) { r in #expect(r.text.contains("href=\"/map\"")) }
        }
    }

    @Test func staticFilesRefusePathTraversal() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await mapApp(f).test(.router) { client in
            for path in ["/map/vendor/..%2Foutside.js", "/map/vendor/%2E%2E%2Foutside.js", "/map/vendor/../outside.js",
                         "/map/static/..%2F..%2FPackage.swift", "/map/static/.gitignore", "/map/static/%2Fetc%2Fpasswd",
                         "/map/vendor/..", "/map/static/missing.js"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .notFound, "\(path)")
                #expect(!r.text.contains("secret"), "\(path)")
            }
        }
        let folder = StaticFolder(root: f.dir.path, cacheControl: "no-cache")
        #expect(folder.path(of: "../outside.js") == nil && folder.path(of: "..") == nil && folder.path(of: "a/b.js") == nil)
        #expect(folder.path(of: "outside.js") != nil)
    }

    @Test func publicStyleHasPublicLayersOnly() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await mapApp(f).test(.router) { client in
            try await client.execute(uri: "/map/style.json", method: .get) { r in
                let style = try json(r)
                let sources = try #require(style["sources"] as? [String: [String: Any]])
                #expect((sources["chizu"]?["tiles"] as? [String])?.first?.hasSuffix("/tiles/public/{z}/{x}/{y}.mvt") == true)
                #expect(sources["basemap"] == nil)
                let ids = (style["layers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(ids.contains("roads") && ids.contains("manholes") && !ids.contains("yard_waste_points"))
                let roads = (style["layers"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "roads" }
                let paint = "\(roads?["paint"] ?? "")"
                #expect(paint.contains("1級"))
                let meta = try #require(style["metadata"] as? [String: Any])
                let cameras = (meta["chizu:layers"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "cameras" }
                let fields = (cameras?["fields"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(fields.contains("place") && !fields.contains("model"))
            }
        }
    }

    @Test func signedInStyleAddsInternalLayersAndBasemap() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let gsi = MapSettings.Basemap(url: "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png", attribution: "地理院タイル")
        try await mapApp(f, basemap: gsi).test(.router) { client in
            try await client.execute(uri: "/map/style.json", method: .get, headers: f.headers("sanitation")) { r in
                let style = try json(r)
                let sources = try #require(style["sources"] as? [String: [String: Any]])
                #expect((sources["chizu"]?["tiles"] as? [String])?.first?.hasSuffix("/tiles/all/{z}/{x}/{y}.mvt") == true)
                #expect(sources["basemap"]?["attribution"] as? String == "地理院タイル")
                let ids = (style["layers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(ids.contains("yard_waste_points"))
                #expect(r.headers[.cacheControl]?.hasPrefix("private") == true)
            }
        }
    }

    @Test func dashboardIsForAdministrators() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await mapApp(f).test(.router) { client in
            #expect(try await client.execute(uri: "/map/admin.json", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/map/admin.json", method: .get, headers: f.headers("sewer")).status == .forbidden)
            try await client.execute(uri: "/map/admin.json", method: .get, headers: f.headers("admin")) { r in
                #expect(r.status == .ok)
                let d = try json(r)
                #expect((d["layers"] as? [Any])?.count == f.catalog.layers.count)
                #expect(d["publicAccesses"] is [Any] && d["publicAccessesPerYear"] is [String: Any])
                #expect(((d["ingestRuns"] as? [Any])?.count ?? 0) >= 3)
            }
        }
    }
}
