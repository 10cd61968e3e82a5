import Foundation
import Testing
import TestSupport
@testable import Store

/// The version watch answers without a table read, yet never returns a version older than the last
/// commit — whoever made it: this store's writer, another store on the file, or another process.
@Suite struct LayerVersionWatchTests {
    @Test func versionsFollowCommitsFromAnyConnection() throws {
        let f = try StoreFixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let watch = f.store.versionWatch
        #expect(watch.readsWALIndex)
        let (before, generation) = try watch.current()
        #expect(try watch.current().generation == generation)   // nothing committed: nothing moves
        _ = try f.store.load([f.manhole("MH-1", -47083, -66116)], into: f.layer("manholes"), mode: .replace, source: f.source(), counts: RunCounts())
        let (afterOwn, g1) = try watch.current()
        #expect(afterOwn["manholes"] == (before["manholes"] ?? 0) + 1 && g1 != generation)
        #expect(try watch.versions(of: ["manholes", "no_such_layer"]) == ["manholes": afterOwn["manholes"]!, "no_such_layer": 0])

        // Another store (its own connections) on the same file.
        let other = try SpatialStore(path: f.dbPath)
        _ = try other.load([f.manhole("MH-2", -47083, -66116)], into: f.layer("manholes"), mode: .replace, source: f.source(), counts: RunCounts())
        #expect(try watch.current().versions["manholes"] == afterOwn["manholes"]! + 1)

        // Another process.
        _ = try TestSupport.run("/usr/bin/sqlite3", [f.dbPath, "UPDATE chizu_layers SET version = version + 10 WHERE layer_id = 'manholes'"])
        #expect(try watch.current().versions["manholes"] == afterOwn["manholes"]! + 11)
    }

    @Test func aWriteThatChangesNoVersionKeepsTheGeneration() throws {
        let f = try StoreFixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let generation = try f.store.versionWatch.current().generation
        _ = try TestSupport.run("/usr/bin/sqlite3", [f.dbPath, "CREATE TABLE scratch(x); INSERT INTO scratch VALUES (1)"])
        #expect(try f.store.versionWatch.current().generation == generation)
    }
}
