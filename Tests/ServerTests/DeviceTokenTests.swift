import Foundation
import Layers
import Testing
@testable import Server
@testable import Store

/// Who may post rain readings: a gauge for itself, a gateway for its gauges, crisis-management
/// editors and administrators; never readers, other departments or the public.
@Suite struct DeviceTokenTests {
    @Test func postingRightsFollowTheTokenKind() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let gauges = try #require(f.catalog.layer("rain_gauges"))
        let service = TokenService(store: f.store)
        func caller(_ issued: TokenService.Issued) throws -> Caller { try service.caller(for: issued.token).get() }
        let g1 = try caller(service.create(department: nil, device: "G1", role: .editor))
        let gateway = try caller(service.create(department: nil, device: "GW1", role: .editor, sites: ["G2", "G3"]))
        let editor = try caller(service.create(department: "crisis_management", role: .editor))
        let reader = try caller(service.create(department: "crisis_management", role: .reader))
        let sewerEditor = try caller(service.create(department: "sewer", role: .editor))
        let admin = try caller(service.create(department: "digital_administration", role: .admin))
        #expect(g1.kind == .device && g1.mayPostReadings(site: "G1", of: gauges) && !g1.mayPostReadings(site: "G2", of: gauges))
        #expect(gateway.mayPostReadings(site: "G2", of: gauges) && gateway.mayPostReadings(site: "G3", of: gauges) && !gateway.mayPostReadings(site: "G1", of: gauges))
        #expect(editor.mayPostReadings(site: "G4", of: gauges) && admin.mayPostReadings(site: "G4", of: gauges))
        #expect(!reader.mayPostReadings(site: "G4", of: gauges) && !sewerEditor.mayPostReadings(site: "G4", of: gauges))
        #expect(!Caller.anonymous.mayPostReadings(site: "G1", of: gauges))
        #expect(try f.store.tokens().first { $0.device == "GW1" }?.sites == ["G2", "G3"])
    }
}
