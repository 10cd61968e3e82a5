import Foundation
import GeoCore
import Hummingbird
import HummingbirdTesting
import Layers
import Logging
import TestSupport
import Testing
@testable import Tiles
@testable import Server
@testable import Store

/// Every data endpoint × {anonymous, other department, owning department, shared department, admin}
/// × {public layer, internal layer, internal field}: no leak, and no side channel.
@Suite struct AccessControlTests {
    /// Who may see what, as the shipped layer definitions say.
    static let seesYardWaste: Set<String> = ["sanitation", "admin"]
    static let seesCameraInternals: Set<String> = ["crisis_management", "admin"]   // citizen_cooperation owns; crisis_management shared

    @Test(arguments: ServerFixture.callers)
    func internalLayerExistsOnlyForThoseWhoMaySeeIt(caller: String) async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let visible = Self.seesYardWaste.contains(caller)
        try await f.app().test(.router) { client in
            for uri in ["/collections/yard_waste_points", "/collections/yard_waste_points/queryables",
                        "/collections/yard_waste_points/items/YW-0001", "/collections/yard_waste_points?f=html",
                        "/collections/yard_waste_points/items/YW-0001?f=html", "/collections/yard_waste_points/items",
                        "/collections/yard_waste_points/items?f=csv", "/collections/yard_waste_points/items?f=html",
                        "/collections/yard_waste_points/download", "/collections/yard_waste_points/download?f=csv"] {
                try await client.execute(uri: uri, method: .get, headers: f.headers(caller)) { r in
                    #expect(r.status == (visible ? .ok : .notFound), "\(caller) \(uri)")
                    if !visible { #expect(!r.text.contains("桜台") && !r.text.contains("12.5")) }
                }
            }
            try await client.execute(uri: "/collections", method: .get, headers: f.headers(caller)) { r in
                #expect(r.text.contains("yard_waste_points") == visible, "\(caller) /collections")
            }
            try await client.execute(uri: "/collections?f=html", method: .get, headers: f.headers(caller)) { r in
                #expect(r.text.contains("草木類排出地点") == visible)
            }
        }
    }

    @Test func anInternalLayerLooksExactlyLikeAMissingOne() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let hidden = try await client.execute(uri: "/collections/yard_waste_points", method: .get)
            let missing = try await client.execute(uri: "/collections/no_such_layer", method: .get)
            #expect(hidden.status == missing.status)
            #expect(hidden.text.replacingOccurrences(of: "yard_waste_points", with: "X") == missing.text.replacingOccurrences(of: "no_such_layer", with: "X"))
        }
    }

    @Test(arguments: ServerFixture.callers)
    func internalFieldsAppearOnlyForThoseWhoMaySeeThem(caller: String) async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let sees = Self.seesCameraInternals.contains(caller)
        try await f.app().test(.router) { client in
            for uri in ["/collections/cameras/items/C-01", "/collections/cameras/items/C-01?f=html", "/collections/cameras/queryables",
                        "/collections/cameras?f=html", "/collections/cameras/items", "/collections/cameras/items?f=csv",
                        "/collections/cameras/items?f=html", "/collections/cameras/download", "/collections/cameras/download?f=csv"] {
                try await client.execute(uri: uri, method: .get, headers: f.headers(caller)) { r in
                    #expect(r.status == .ok)
                    let leaked = r.text.contains("XC-200") || r.text.contains("北東") || r.text.contains("\"model\"") || r.text.contains("<code>model</code>")
                    #expect(leaked == sees && (sees || !r.text.contains("撮影方向")), "\(caller) \(uri)")
                }
            }
        }
    }

    @Test func filteringOnAnInternalFieldIsTheSameErrorAsAnUnknownOne() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            let internalField = try await client.execute(uri: "/collections/cameras/items?model=XC-200", method: .get)
            let unknown = try await client.execute(uri: "/collections/cameras/items?modle=XC-200", method: .get)
            #expect(internalField.status == .badRequest && unknown.status == .badRequest)
            #expect(internalField.text.replacingOccurrences(of: "model", with: "X") == unknown.text.replacingOccurrences(of: "modle", with: "X"))
            // The department that may see the field may filter on it.
            let allowed = try await client.execute(uri: "/collections/cameras/items?model=XC-200", method: .get, headers: f.headers("crisis_management"))
            #expect(allowed.status == .ok && allowed.text.contains("\"numberMatched\":1"))
            // The same through a CQL2 filter: no side channel for the public.
            let cql = "/collections/cameras/items?filter=model%20%3D%20'XC-200'"
            let hidden = try await client.execute(uri: cql, method: .get)
            #expect(hidden.status == .badRequest && hidden.text.contains("unknown property 'model'"))
            let shown = try await client.execute(uri: cql, method: .get, headers: f.headers("crisis_management"))
            #expect(shown.status == .ok && shown.text.contains("\"numberMatched\":1"))
        }
    }

    @Test func tokensInTheQueryStringAreRefused() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/collections?access_token=\(f.tokens["admin"]!)", method: .get) { r in
                #expect(r.status == .badRequest && r.text.contains("Authorization: Bearer"))
            }
        }
    }

    @Test func revokedExpiredAndForgedTokensAreUnauthorized() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let service = TokenService(store: f.store)
        let revoked = try service.create(department: "sanitation", role: .reader)
        try f.store.revokeToken(id: revoked.record.id)
        let expired = try service.create(department: "sanitation", role: .reader, expires: Date(timeIntervalSinceNow: -60))
        let forged = f.tokens["admin"]!.dropLast(2) + "xx"
        try await f.app().test(.router) { client in
            for (token, why) in [(revoked.token, "revoked"), (expired.token, "expired"), (String(forged), "not valid"), ("garbage", "not valid")] {
                try await client.execute(uri: "/collections", method: .get, headers: [.authorization: "Bearer \(token)"]) { r in
                    #expect(r.status == .unauthorized)
                    #expect(r.text.contains(why))
                    #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                }
            }
        }
    }

    @Test func tokensAreStoredOnlyAsHashes() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let token = f.tokens["admin"]!
        let secret = String(token.split(separator: "_", maxSplits: 2)[2])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: f.store.path))
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
        #expect(secret.count >= 43)   // 256 bits in base64url
    }

    @Test func internalAccessIsAuditedAndPublicAccessCounted() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            _ = try await client.execute(uri: "/collections/yard_waste_points/items/YW-0001", method: .get, headers: f.headers("sanitation"))
            _ = try await client.execute(uri: "/collections/manholes/items/MH-1", method: .get)
            _ = try await client.execute(uri: "/collections/manholes/items/MH-1", method: .get)
        }
        try f.recorder.flush()
        let audit = try f.store.auditEntries()
        #expect(audit.count == 1 && audit.first?.layer == "yard_waste_points" && audit.first?.department == "sanitation")
        #expect(audit.first?.featureCount == 1)
        let counts = try f.store.publicAccessCounts()
        #expect(counts.map(\.layer) == ["manholes"] && counts.first?.count == 2)
    }
}

/// The access matrix in-process: every layer's URLs × every kind of caller, with what each may see
/// restated from the layer definitions (owner, `shared_with`, admin), and every route accounted for.
/// `hard/access.sh` runs the same matrix against a live server over the sample city.
@Suite struct AccessMatrixTests {
    /// The routes the access matrix knows (hard/access_endpoints.txt), as "METHOD /path/{param}".
    static func matrixRoutes() throws -> Set<String> {
        let text = try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("hard/access_endpoints.txt"), encoding: .utf8)
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    @Test func everyRouteIsInTheAccessMatrix() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let router = try ChizuServer.router(catalog: f.catalog, store: f.store, recorder: f.recorder)
        let served = Set(router.routes.map { "\($0.method.rawValue) /" + "\($0.path)".trimmingCharacters(in: CharacterSet(charactersIn: "/")) })
        let listed = try Self.matrixRoutes()
        #expect(served.subtracting(listed).isEmpty, "routes missing from hard/access_endpoints.txt (add them to the access matrix): \(served.subtracting(listed).sorted())")
        #expect(listed.subtracting(served).isEmpty, "hard/access_endpoints.txt lists routes the server does not have: \(listed.subtracting(served).sorted())")
    }

    /// A caller of the matrix: the fixture's name for its token, and who it is.
    struct MatrixCaller: CustomStringConvertible {
        let name: String
        let kind: Caller.Kind
        let department: String?
        var description: String { name }
    }

    /// Who may see a layer's internals, restated from the YAML semantics (not from `Access.swift`).
    static func sees(_ c: MatrixCaller, internalsOf layer: LayerDefinition) -> Bool {
        c.kind == .admin || (c.kind == .department && (c.department == layer.department || layer.sharedWith.contains(c.department ?? "")))
    }

    static func visible(_ c: MatrixCaller, _ layer: LayerDefinition) -> Bool { layer.access == .public || sees(c, internalsOf: layer) }

    /// Text that must not reach `c`: internal layer ids and titles, internal field names and labels,
    /// and the fixture's internal values.
    static func forbidden(for c: MatrixCaller, catalog: LayerCatalog) -> (words: [String], strings: [String]) {
        var words: [String] = [], strings: [String] = []
        for layer in catalog.layers {
            let internalFields = layer.fields.filter { $0.visibility == .internal }
            if !visible(c, layer) {
                words.append(layer.id); strings += [layer.title.ja, layer.title.en]
                words += internalFields.map(\.name)
            } else if !sees(c, internalsOf: layer) {
                words += internalFields.map(\.name); strings += internalFields.flatMap { [$0.label.ja, $0.label.en] }
            }
        }
        if !visible(c, catalog.layer("yard_waste_points")!) { strings += ["YW-0001", "桜台"] }
        if !sees(c, internalsOf: catalog.layer("cameras")!) { strings += ["XC-200", "北東"] }
        return (words, strings)
    }

    static func leaks(_ text: String, _ markers: (words: [String], strings: [String])) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        let words = markers.words.filter { w in
            let re = try! NSRegularExpression(pattern: "(?<![A-Za-z0-9_-])" + NSRegularExpression.escapedPattern(for: w) + "(?![A-Za-z0-9_-])")
            return re.firstMatch(in: text, range: range) != nil
        }
        return words + markers.strings.filter(text.contains)
    }

    @Test func noCallerSeesALayerOrFieldItMayNot() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let service = TokenService(store: f.store)
        var tokens = f.tokens
        tokens["citizen_cooperation"] = try service.create(department: "citizen_cooperation", role: .reader).token
        tokens["civil_engineering"] = try service.create(department: "civil_engineering", role: .reader).token
        tokens["device"] = try service.create(department: nil, device: "G1", role: .editor).token
        let callers = [MatrixCaller(name: "anonymous", kind: .anonymous, department: nil), MatrixCaller(name: "admin", kind: .admin, department: nil),
                       MatrixCaller(name: "device", kind: .device, department: nil)]
            + ["sanitation", "sewer", "crisis_management", "citizen_cooperation", "civil_engineering"].map { MatrixCaller(name: $0, kind: .department, department: $0) }
        let items = ["cameras": "C-01", "yard_waste_points": "YW-0001", "manholes": "MH-1"]
        let tiles = ["cameras": cameraTile, "manholes": cityHallTile,
                     "yard_waste_points": try TileKey.containing(lonLat: CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84)
                                                                   .transform(Coordinate(x: -47200, y: -66200)), zoom: 15)]
        try await f.app().test(.router) { [tokens] client in
            var cells = 0
            for c in callers {
                var headers: HTTPFields = [:]
                if let t = tokens[c.name] { headers[.authorization] = "Bearer \(t)" }
                let markers = Self.forbidden(for: c, catalog: f.catalog)
                func check(_ uri: String, _ expected: Set<Int>) async throws {
                    cells += 1
                    try await client.execute(uri: uri, method: .get, headers: headers) { r in
                        #expect(expected.contains(Int(r.status.code)), "\(c) \(uri): \(r.status.code)")
                        let text = String(decoding: r.body.readableBytesView, as: UTF8.self)
                            + r.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
                        // What the caller asked for itself may come back (e.g. "no collection 'X'"): no leak.
                        let asked = uri.removingPercentEncoding ?? uri
                        let found = Self.leaks(text, markers).filter { !asked.contains($0) }
                        #expect(found.isEmpty, "\(c) \(uri) leaks \(found)")
                    }
                }
                for uri in ["/", "/?f=html", "/api", "/health", "/collections", "/collections?f=html", "/tiles/public.json", "/tiles/all.json",
                            "/map/style.json", "/map/static/app.js", "/rain/alerts"] {
                    try await check(uri, [200])
                }
                for key in tiles.values { try await check(tilePath("public", key), [200, 204]); try await check(tilePath("all", key), [200, 204]) }
                for layer in f.catalog.layers {
                    let id = layer.id
                    let ok: Set<Int> = Self.visible(c, layer) ? [200] : [404]
                    for suffix in ["", "?f=html", "/queryables", "/items", "/items?f=html", "/items?f=csv", "/download", "/download?f=csv", "/tiles"] {
                        try await check("/collections/\(id)\(suffix)", ok)
                    }
                    try await check("/tiles/\(id).json", ok)
                    let key = tiles[id] ?? cityHallTile
                    let tileOK: Set<Int> = Self.visible(c, layer) ? [200, 204] : [404]
                    try await check(tilePath(id, key), tileOK)
                    try await check("/collections/\(id)/tiles/WebMercatorQuad/\(key.z)/\(key.y)/\(key.x)", tileOK)
                    if let fid = items[id] {
                        try await check("/collections/\(id)/items/\(fid)", ok)
                        try await check("/collections/\(id)/items/\(fid)?f=html", ok)
                    }
                    for field in layer.fields where field.visibility == .internal {
                        let filterOK: Set<Int> = !Self.visible(c, layer) ? [404] : Self.sees(c, internalsOf: layer) ? [200] : [400]
                        try await check("/collections/\(id)/items?filter=\(field.name)%20IS%20NOT%20NULL", filterOK)
                        try await check("/collections/\(id)/items?\(field.name)=\(field.type == .text ? "x" : "1")", filterOK)
                    }
                }
            }
            #expect(cells > 700)
        }
    }

    @Test func tokensInAnyQueryParameterAreRefusedNotUsed() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let token = f.tokens["sanitation"]!
        try await f.app().test(.router) { client in
            for query in ["ACCESS_TOKEN=\(token)", "Token=\(token)", "key=\(token)", "x=Bearer%20\(token)", "bearer=abc"] {
                try await client.execute(uri: "/collections/yard_waste_points/items?\(query)", method: .get) { r in
                    #expect(r.status == .badRequest, "\(query)")
                    #expect(!r.text.contains("YW-0001") && r.text.contains("Authorization: Bearer"))
                }
            }
        }
    }

    @Test func answersToSignedInCallersArePrivate() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            for uri in ["/collections/cameras/items", "/collections/cameras/items/C-01", "/collections/cameras", tilePath("cameras", cameraTile)] {
                try await client.execute(uri: uri, method: .get, headers: f.headers("crisis_management")) { r in
                    #expect(r.status == .ok && r.headers[.cacheControl]?.hasPrefix("private") == true, "\(uri): \(r.headers[.cacheControl] ?? "-")")
                }
            }
        }
    }

    @Test func healthCountsOnlyTheLayersTheCallerMaySee() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let total = f.catalog.layers.count, publicCount = f.catalog.layers.filter { $0.access == .public }.count
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in #expect(r.text.contains("\"layers\":\(publicCount)")) }
            try await client.execute(uri: "/health", method: .get, headers: f.headers("admin")) { r in #expect(r.text.contains("\"layers\":\(total)")) }
        }
    }

    @Test func onlyPlannersAreToldThePickupLayer() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await f.app().test(.router) { client in
            for caller in ServerFixture.callers {
                try await client.execute(uri: "/map/style.json", method: .get, headers: f.headers(caller)) { r in
                    let planner = ["sanitation", "admin"].contains(caller)
                    #expect(r.text.contains("chizu:planner") == planner && r.text.contains("yard_waste_points") == planner, "\(caller)")
                }
            }
        }
    }

    /// An archive whose metadata declares an internal layer (or internal fields) is served only to
    /// those who may see all of it; a public one to everyone.
    @Test func archivesWithInternalContentAreRestricted() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        func write(_ name: String, _ layers: [TileJSON.VectorLayer]) throws -> String {
            let path = f.dir.appendingPathComponent("\(name).mbtiles").path
            let mvt = Data("tile".utf8)
            try MBTilesWriter.write([BuiltTile(key: cityHallTile, gzipped: try Gzip.compress(mvt), digest: mvt)],
                                    metadata: TileArchiveMetadata(name: name, description: "", attribution: "", minZoom: 15, maxZoom: 15,
                                                                  bounds: [], center: [], vectorLayers: layers), to: path)
            return path
        }
        let paths = [
            try write("open", [.init(id: "roads", description: "", minzoom: 10, maxzoom: 18, fields: ["segment_id": "String"])]),
            try write("households", [.init(id: "yard_waste_points", description: "", minzoom: 12, maxzoom: 18, fields: ["point_id": "String"])]),
            try write("camera-models", [.init(id: "cameras", description: "", minzoom: 12, maxzoom: 18, fields: ["camera_id": "String", "model": "String"])]),
            try write("foreign", [.init(id: "somebody_elses", description: "", minzoom: 12, maxzoom: 18, fields: [:])]),
        ]
        var settings = ServerSettings()
        settings.archives = paths
        let app = Application(router: try ChizuServer.router(catalog: f.catalog, store: f.store, recorder: f.recorder, settings: settings),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let expected: [String: Set<String>] = ["open": Set(ServerFixture.callers), "households": ["sanitation", "admin"],
                                               "camera-models": ["crisis_management", "admin"], "foreign": ["admin"]]
        try await app.test(.router) { client in
            for (archive, allowed) in expected {
                for caller in ServerFixture.callers {
                    for uri in ["/tiles/\(archive).json", tilePath(archive)] {
                        try await client.execute(uri: uri, method: .get, headers: f.headers(caller)) { r in
                            #expect(r.status == (allowed.contains(caller) ? .ok : .notFound), "\(caller) \(uri)")
                        }
                    }
                }
            }
            try await client.execute(uri: tilePath("households"), method: .get, headers: f.headers("sanitation")) { r in
                #expect(r.headers[.cacheControl]?.hasPrefix("private") == true)
            }
        }
        settings.archives = [try write("yard_waste_points", [])]
        #expect(throws: ServerSetupError.self) { try ChizuServer.router(catalog: f.catalog, store: f.store, recorder: f.recorder, settings: settings) }
    }

    /// Secrets are hashed before they are compared, so a guess that shares a long prefix with the real
    /// secret takes as long to refuse as one that shares nothing. Prints the medians.
    @Test func refusingAGuessTakesTheSameTimeHoweverMuchOfItIsRight() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let service = TokenService(store: f.store)
        let token = f.tokens["admin"]!
        let parts = token.split(separator: "_", maxSplits: 2).map(String.init)
        let secret = parts[2]
        func guess(_ right: Int) -> String {
            let wrong = secret.dropFirst(right).map { $0 == "A" ? "B" : "A" }.joined()
            return "chz_\(parts[1])_\(secret.prefix(right))\(wrong)"
        }
        let none = guess(0), most = guess(secret.count - 1)
        #expect(try service.caller(for: none) == .failure(.unknown) && service.caller(for: most) == .failure(.unknown))
        let clock = ContinuousClock()
        var times: [String: [Double]] = [none: [], most: []]
        for i in 0..<4_000 {
            let g = i % 2 == 0 ? none : most
            let t = try clock.measure { _ = try service.caller(for: g) }
            times[g]!.append(Double(t.components.attoseconds) / 1e12 + Double(t.components.seconds) * 1e6)
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        let a = median(times[none]!), b = median(times[most]!)
        print("token check: median \(String(format: "%.1f", a)) µs with 0 of \(secret.count) characters right, "
              + "\(String(format: "%.1f", b)) µs with \(secret.count - 1) right")
        #expect(abs(a - b) <= max(0.25 * min(a, b), 5), "\(a) µs vs \(b) µs")
    }
}
