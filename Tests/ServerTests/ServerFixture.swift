import Foundation
import Logging
import GeoCore
import Hummingbird
import HummingbirdTesting
import Layers
import Store
import TestSupport
@testable import Server

/// Little-endian WKB point.
func wkbPoint(_ x: Double, _ y: Double) -> [UInt8] {
    [1] + withUnsafeBytes(of: UInt32(1).littleEndian, Array.init) + withUnsafeBytes(of: x.bitPattern.littleEndian, Array.init)
        + withUnsafeBytes(of: y.bitPattern.littleEndian, Array.init)
}

/// A database with the shipped layers, a few features, and tokens for each kind of caller.
struct ServerFixture: Sendable {
    let dir: URL
    let store: SpatialStore
    let catalog: LayerCatalog
    let recorder: AccessRecorder
    let tokens: [String: String]   // caller name → bearer token

    static let callers = ["anonymous", "sanitation", "sewer", "crisis_management", "admin"]

    init() throws {
        dir = try TestSupport.temporaryDirectory("server")
        catalog = try LayerCatalog.load(directory: TestSupport.repositoryRoot.appendingPathComponent("layers"))
        store = try SpatialStore(path: dir.appendingPathComponent("chizu.sqlite").path, create: true)
        try store.ensureLayers(catalog.layers)
        let src = RunSource(files: ["test"], checksum: "0", startedAt: Date())
        _ = try store.load([
            FeatureRecord(properties: ["camera_id": .text("C-01"), "place": .text("伊勢原駅北口"), "cloud_recording": .boolean(true),
                                       "model": .text("XC-200"), "direction": .text("北東")], wkb: wkbPoint(-47100, -65300)),
        ], into: catalog.layer("cameras")!, mode: .replace, source: src, counts: RunCounts())
        _ = try store.load([
            FeatureRecord(properties: ["point_id": .text("YW-0001"), "district": .text("桜台"), "weight_kg": .real(12.5), "bundles": .integer(3)],
                          wkb: wkbPoint(-47200, -66200)),
        ], into: catalog.layer("yard_waste_points")!, mode: .replace, source: src, counts: RunCounts())
        _ = try store.load([
            FeatureRecord(properties: ["manhole_id": .text("MH-1"), "kind": .text("汚水")], wkb: wkbPoint(-47083, -66116)),
        ], into: catalog.layer("manholes")!, mode: .replace, source: src, counts: RunCounts())
        let service = TokenService(store: store)
        var t: [String: String] = [:]
        t["sanitation"] = try service.create(department: "sanitation", role: .reader).token
        t["sewer"] = try service.create(department: "sewer", role: .reader).token
        t["crisis_management"] = try service.create(department: "crisis_management", role: .reader).token
        t["admin"] = try service.create(department: "digital_administration", role: .admin).token
        tokens = t
        recorder = AccessRecorder(store: store)
    }

    func headers(_ caller: String, _ extra: HTTPFields = [:]) -> HTTPFields {
        var h = extra
        if let token = tokens[caller] { h[.authorization] = "Bearer \(token)" }
        return h
    }

    func app() throws -> some ApplicationProtocol {
        Application(router: try ChizuServer.router(catalog: catalog, store: store, recorder: recorder),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dir) }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
