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

/// `chizu route plan` on the generated sample city, end to end.
@Suite(.serialized) struct RoutePlanCommandTests {
    static let exe = TestSupport.repositoryRoot.appendingPathComponent(".build/debug/chizu")

    /// A database with the sample city loaded, made once per test in a temporary folder.
    func sampleDatabase(_ dir: URL) throws -> String {
        let db = dir.appendingPathComponent("c.sqlite").path
        #expect(try chizu(["sample", "--out", dir.appendingPathComponent("sample").path]).0 == 0)
        #expect(try chizu(["db", "init", "--db", db]).0 == 0)
        #expect(try chizu(["ingest", "--db", db, "--all", dir.appendingPathComponent("sample").path]).0 == 0)
        return db
    }

    @Test func planWritesRoadFollowingRunsForEveryStopAndStoresThePlan() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.exe.path) else { Issue.record("build chizu first"); return }
        let dir = try TestSupport.temporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let db = try sampleDatabase(dir)
        let out = dir.appendingPathComponent("plan.geojson")
        let (status, text, err) = try chizu(["route", "plan", "--db", db, "--date", "2026-11-17", "--trucks", "2", "--capacity", "800",
                                             "--shift", "08:30-16:00", "--time-limit", "3s", "--max-iterations", "200", "--out", out.path])
        #expect(status == 0, "\(err)")
        #expect(text.contains("truck  trips  stops"))
        #expect(text.contains("plan 1 stored"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as! [String: Any]
        let features = json["features"] as! [[String: Any]]
        let props = features.map { $0["properties"] as! [String: Any] }
        let stops = props.filter { $0["role"] as? String == "stop" }
        let trips = features.filter { ($0["properties"] as! [String: Any])["role"] as? String == "trip" }
        #expect(Set(stops.map { $0["point_id"] as! String }).count == stops.count && stops.count > 50)
        // Every trip stays within capacity and is drawn along the roads (many vertices, not a straight line per stop).
        for t in trips {
            let p = t["properties"] as! [String: Any], g = t["geometry"] as! [String: Any]
            #expect((p["load_kg"] as! Double) <= 800)
            #expect((g["coordinates"] as! [[Double]]).count > (p["stops"] as! Int) + 2)
        }
        let csv = try String(contentsOf: dir.appendingPathComponent("plan.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == stops.count + 1)
        let html = try String(contentsOf: dir.appendingPathComponent("plan.html"), encoding: .utf8)
        #expect(html.contains("草木類収集 運行表") && html.contains("第1便"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("plan-truck1.gpx").path))
        // After the run: the weighed trip is recorded and the monthly report sums it against the yearly target.
        #expect(try chizu(["route", "record", "--db", db, "--plan", "1", "--truck", "1", "--trip", "1", "--kg", "800"]).0 == 0)
        let (_, report, _) = try chizu(["route", "report", "--db", db, "--year", "2026"])
        #expect(report.contains("2026-11") && report.contains("2026 total: 0.800 t of the 1510 t target"))
        #expect(try chizu(["route", "record", "--db", db, "--plan", "7", "--truck", "1", "--trip", "1", "--kg", "1"]).0 == 2)
    }

    @Test func benchSolvesACVRPLIBInstanceAndPrintsTheGapToTheBestKnown() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.exe.path) else { Issue.record("build chizu first"); return }
        let vrp = TestSupport.sharedDirectory.appendingPathComponent("data/cvrplib/X-n101-k25.vrp").path
        let (status, out, err) = try chizu(["route", "bench", vrp, "--time-limit", "2"])
        #expect(status == 0, "\(err)")
        let row = out.split(separator: "\n")[1].split(separator: "\t")
        #expect(row[0] == "X-n101-k25" && row[1] == "100" && row[3] == "27591" && row[7] == "true")
        #expect(Double(row[4])! >= 0 && Double(row[4])! < 15)
    }

    @Test func aStopHeavierThanTheTruckIsReportedAsInfeasible() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.exe.path) else { Issue.record("build chizu first"); return }
        let dir = try TestSupport.temporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let db = try sampleDatabase(dir)
        let (status, _, err) = try chizu(["route", "plan", "--db", db, "--date", "2026-11-17", "--trucks", "2", "--capacity", "20",
                                          "--time-limit", "1s", "--out", dir.appendingPathComponent("p.geojson").path])
        #expect(status == 3)
        #expect(err.contains("no feasible plan") && err.contains("more than a truck carries (20 kg)"))
        #expect(err.firstMatch(of: /stop \d+ \(YW-\d{5}\) has \d+(\.\d)? kg/) != nil)   // named by point id
    }
}
