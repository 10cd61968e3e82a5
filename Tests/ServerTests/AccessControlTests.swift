import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
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
