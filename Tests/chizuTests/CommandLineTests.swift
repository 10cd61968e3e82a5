import Foundation
import Testing
import TestSupport

/// Runs the built `chizu` executable as a user would and returns (status, stdout, stderr).
func chizu(_ args: [String], cwd: URL = TestSupport.repositoryRoot) throws -> (Int32, String, String) {
    let exe = TestSupport.repositoryRoot.appendingPathComponent(".build/debug/chizu")
    let p = Process()
    p.executableURL = exe
    p.arguments = args
    p.currentDirectoryURL = cwd
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

@Suite(.serialized) struct CommandLineTests {
    var built: Bool { FileManager.default.isExecutableFile(atPath: TestSupport.repositoryRoot.appendingPathComponent(".build/debug/chizu").path) }

    @Test func layersListsAndValidatesTheShippedDefinitions() throws {
        guard built else { Issue.record("build chizu first"); return }
        let (status, out, _) = try chizu(["layers"])
        #expect(status == 0)
        #expect(out.contains("7 layers in layers: all valid"))
        #expect(out.contains("yard_waste_points") && out.contains("internal"))
    }

    @Test func brokenDefinitionsExitNonZeroNamingFileKeyAndLine() throws {
        guard built else { Issue.record("build chizu first"); return }
        let dir = try TestSupport.temporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try "id: Bad Id\ntitle: x\n".write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let (status, _, err) = try chizu(["layers", "--layers", dir.path])
        #expect(status == 2)
        #expect(err.contains("bad.yaml:1: id: \"Bad Id\" must be lowercase"))
        #expect(err.contains("bad.yaml: geometry: is required"))
    }

    @Test func ingestIntoAnUnknownLayerSaysWhichLayersExist() throws {
        guard built else { Issue.record("build chizu first"); return }
        let dir = try TestSupport.temporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("c.sqlite").path
        #expect(try chizu(["db", "init", "--db", db]).0 == 0)
        let csv = dir.appendingPathComponent("x.csv")
        try "a\n1\n".write(to: csv, atomically: true, encoding: .utf8)
        let (status, _, err) = try chizu(["ingest", "--db", db, "parks", csv.path])
        #expect(status != 0)
        #expect(err.contains("unknown layer \"parks\"; known: cameras, facilities, manholes"))
    }

    @Test func tokenCreateListRevoke() throws {
        guard built else { Issue.record("build chizu first"); return }
        let dir = try TestSupport.temporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("c.sqlite").path
        #expect(try chizu(["db", "init", "--db", db]).0 == 0)
        let (status, token, _) = try chizu(["token", "create", "--db", db, "--department", "sewer", "--role", "editor", "--expires", "30d"])
        #expect(status == 0 && token.hasPrefix("chz_"))
        let id = String(token.split(separator: "_")[1])
        #expect(try chizu(["token", "list", "--db", db]).1.contains("\(id)  sewer"))
        #expect(try chizu(["token", "revoke", "--db", db, id]).0 == 0)
        #expect(try chizu(["token", "list", "--db", db]).1.contains("revoked"))
        #expect(!(try chizu(["token", "list", "--db", db]).1.contains(String(token.split(separator: "_")[2]).prefix(20))))
    }
}
