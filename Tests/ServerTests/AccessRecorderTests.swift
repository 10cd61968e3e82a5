import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Layers
import Testing
@testable import Server

@Suite struct AccessRecorderTests {
    /// A long ingest can hold the write lock past the busy timeout: the counts wait for the next flush.
    @Test func aFlushTheDatabaseRefusesKeepsItsBatchForTheNext() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let recorder = AccessRecorder(store: f.store)
        let roads = try #require(f.catalog.layer("roads"))
        for _ in 0..<3 { recorder.record(caller: Caller(kind: .anonymous), layer: roads, action: "items", target: "/x", featureCount: 1) }
        // Another process holds the write lock, as an ingest's transaction does.
        let blocker = Process(), input = Pipe(), output = Pipe()
        blocker.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        blocker.arguments = [f.store.path]
        blocker.standardInput = input; blocker.standardOutput = output
        try blocker.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        _ = output.fileHandleForReading.availableData   // "locked": the lock is held
        #expect(throws: (any Error).self) { try recorder.flush() }
        recorder.record(caller: Caller(kind: .anonymous), layer: roads, action: "items", target: "/x", featureCount: 1)
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        blocker.waitUntilExit()
        try recorder.flush()
        let counts = try f.store.publicAccessCounts().filter { $0.layer == "roads" }
        #expect(counts.map(\.count).reduce(0, +) == 4)
    }
}

@Suite struct BusyDatabaseTests {
    /// A request that meets the write lock past the busy timeout is told to retry, not given a 500.
    @Test func aBusyDatabaseIsA503WithRetryAfter() async throws {
        let router = Router()
        router.add(middleware: ProblemMiddleware())
        router.post("/busy") { _, _ -> String in throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked") }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/busy", method: .post) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(r.headers[.retryAfter] == "5" && r.headers[.contentType] == "application/problem+json")
            }
        }
    }
}
