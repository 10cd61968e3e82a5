import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Layers
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Store
import Testing
import Tiles
@testable import Server

/// The pre-routing answer of remembered public tiles: what it answers, what it hands on, and that it
/// never serves a tile older than the data or skips the rate limit or the access counts.
@Suite struct PublicTileShortcutTests {
    static let path = "/tiles/manholes/15/29060/12934.mvt"

    static func shortcut(_ f: ServerFixture, rate: Double = 0, burst: Int = 100, exempt: [String] = ["127.0.0.1"]) throws -> PublicTileShortcut {
        var limits = LimitSettings()
        limits.anonymousRatePerSecond = rate
        limits.anonymousBurst = burst
        limits.rateLimitExempt = exempt
        return PublicTileShortcut(maxBytes: 1 << 20, maxHeaderBytes: 8192, watch: f.store.versionWatch, recorder: f.recorder,
                                  limits: try RateLimitMiddleware(settings: limits))
    }

    /// Remembers a made-up tile for `path` at the manholes layer's current version.
    static func remember(_ s: PublicTileShortcut, _ f: ServerFixture, path: String = path, etag: String = "\"e1\"") throws {
        let manholes = try #require(f.catalog.layer("manholes"))
        s.remember(path: path, gzipped: try Gzip.compress(Data("tile-bytes".utf8)), plain: ByteBuffer(string: "tile-bytes"),
                   etag: etag, layers: [manholes], versions: try f.store.versionWatch.versions(of: ["manholes"]))
    }

    static func channel(_ s: PublicTileShortcut, peer: String = "127.0.0.1") throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: TileShortcutHandler(shortcut: s))
        channel.remoteAddress = try SocketAddress(ipAddress: peer, port: 40000)
        return channel
    }

    static func request(_ path: String = path, _ fields: HTTPFields = [.acceptEncoding: "gzip"]) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: nil, authority: "x", path: path, headerFields: fields)
    }

    /// Sends a whole request; returns what was handed on to the router and what was answered here.
    static func send(_ channel: EmbeddedChannel, _ head: HTTPRequest) throws -> (handedOn: [HTTPRequestPart], answered: [HTTPResponsePart]) {
        try channel.writeInbound(HTTPRequestPart.head(head))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        var handedOn: [HTTPRequestPart] = [], answered: [HTTPResponsePart] = []
        while let part = try channel.readInbound(as: HTTPRequestPart.self) { handedOn.append(part) }
        while let part = try channel.readOutbound(as: HTTPResponsePart.self) { answered.append(part) }
        return (handedOn, answered)
    }

    static func status(_ parts: [HTTPResponsePart]) -> HTTPResponse? {
        if case let .head(h)? = parts.first { h } else { nil }
    }

    @Test func aRememberedTileIsAnsweredWithoutTheRouter() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let s = try Self.shortcut(f)
        try Self.remember(s, f)
        let channel = try Self.channel(s)
        let gz = try Self.send(channel, Self.request())
        #expect(gz.handedOn.isEmpty)
        let head = try #require(Self.status(gz.answered))
        #expect(head.status == .ok && head.headerFields[.contentEncoding] == "gzip" && head.headerFields[.eTag] == "\"e1\"")
        #expect(head.headerFields[.cacheControl] == "public, max-age=300" && head.headerFields[.date]?.hasSuffix(" GMT") == true)
        guard case let .body(body) = gz.answered[1] else { Issue.record("no body"); return }
        #expect(head.headerFields[.contentLength] == String(body.readableBytes))
        #expect(try Gzip.decompress(Data(body.readableBytesView)) == Data("tile-bytes".utf8))
        // Without gzip: the inflated bytes; with the ETag: 304.
        let plain = try Self.send(channel, Self.request(Self.path, [:]))
        guard case let .body(p) = plain.answered[1] else { Issue.record("no body"); return }
        #expect(String(buffer: p) == "tile-bytes" && Self.status(plain.answered)?.headerFields[.contentEncoding] == nil)
        let cached = try Self.send(channel, Self.request(Self.path, [.ifNoneMatch: "\"e1\""]))
        #expect(Self.status(cached.answered)?.status == .notModified && cached.answered.count == 2)
        // Each answer is a public access of the layer, as on the full path.
        try f.recorder.flush()
        #expect(try f.store.publicAccessCounts().filter { $0.layer == "manholes" }.map(\.count).reduce(0, +) == 3)
    }

    @Test func everyOtherRequestIsHandedOnUntouched() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let s = try Self.shortcut(f)
        try Self.remember(s, f)
        let channel = try Self.channel(s)
        let others: [HTTPRequest] = [
            Self.request("/tiles/manholes/15/0/0.mvt"),                                    // not remembered
            Self.request(Self.path + "?token=x"),                                          // a query (tokens in URLs are refused there)
            Self.request(Self.path, [.authorization: "Bearer chz_000000000000_x"]),        // a caller with a token
            Self.request(Self.path, [.origin: "https://example.org"]),                     // CORS
            Self.request(Self.path, [.connection: "close"]),
            Self.request(Self.path, [HTTPField.Name("X-Big")!: String(repeating: "h", count: 9000)]),   // 431 is the router's
            HTTPRequest(method: .head, scheme: nil, authority: "x", path: Self.path, headerFields: [:]),
        ]
        for head in others {
            let r = try Self.send(channel, head)
            #expect(r.answered.isEmpty, "\(head)")
            #expect(r.handedOn.count == 2, "\(head)")
            try channel.writeOutbound(HTTPResponsePart.end(nil))   // the router's answer
            while try channel.readOutbound(as: HTTPResponsePart.self) != nil {}
        }
    }

    @Test func pipelinedAnswersStayInOrder() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let s = try Self.shortcut(f)
        try Self.remember(s, f)
        let channel = try Self.channel(s)
        // The router is still answering /collections: the tile behind it waits its turn there too.
        #expect(try Self.send(channel, Self.request("/collections")).handedOn.count == 2)
        let behind = try Self.send(channel, Self.request())
        #expect(behind.answered.isEmpty && behind.handedOn.count == 2)
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        while try channel.readOutbound(as: HTTPResponsePart.self) != nil {}
        // Both answered: the next one is answered here again.
        #expect(Self.status(try Self.send(channel, Self.request()).answered)?.status == .ok)
    }

    @Test func aTileIsNotAnsweredOnceItsLayerChanged() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let s = try Self.shortcut(f)
        try Self.remember(s, f)
        let channel = try Self.channel(s)
        #expect(Self.status(try Self.send(channel, Self.request()).answered)?.status == .ok)
        // Another layer's change does not matter; the tile's own layer's does.
        _ = try f.store.load([FeatureRecord(properties: ["camera_id": .text("C-02")], wkb: wkbPoint(-47100, -65300))],
                             into: f.catalog.layer("cameras")!, mode: .replace, source: .init(files: ["t"], checksum: "2", startedAt: Date()), counts: .init())
        #expect(Self.status(try Self.send(channel, Self.request()).answered)?.status == .ok)
        _ = try f.store.load([FeatureRecord(properties: ["manhole_id": .text("MH-NEW"), "kind": .text("雨水")], wkb: wkbPoint(-47083, -66116))],
                             into: f.catalog.layer("manholes")!, mode: .replace, source: .init(files: ["t"], checksum: "1", startedAt: Date()), counts: .init())
        let after = try Self.send(channel, Self.request())
        #expect(after.answered.isEmpty && after.handedOn.count == 2)
    }

    @Test func theRateLimitAppliesAndItsRefusalIsTheRouters() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let s = try Self.shortcut(f, rate: 0.001, burst: 2, exempt: [])
        try Self.remember(s, f)
        let channel = try Self.channel(s, peer: "192.0.2.7")
        for _ in 0..<2 { #expect(Self.status(try Self.send(channel, Self.request()).answered)?.status == .ok) }
        // Over budget: handed on, where the rate-limit middleware answers 429 with Retry-After.
        let third = try Self.send(channel, Self.request())
        #expect(third.answered.isEmpty && third.handedOn.count == 2)
    }

    /// End to end on a real socket: the second fetch comes from the shortcut and is byte-for-byte the
    /// router's answer; a re-ingest is seen at once; a pipelined tile waits for the answer before it.
    @Test func onARealSocketAnswersMatchTheRoutersAndFollowReingest() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        try await withLiveServer(f) { port in
            let url = URL(string: "http://127.0.0.1:\(port)\(tilePath("manholes"))")!
            func get(_ headers: [String: String]) async throws -> (Data, HTTPURLResponse) {
                var request = URLRequest(url: url)
                for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
                let (data, response) = try await URLSession.shared.data(for: request)
                return (data, try #require(response as? HTTPURLResponse))
            }
            let (first, r1) = try await get([:])
            let (second, r2) = try await get([:])
            #expect(r1.statusCode == 200 && first == second && !first.isEmpty)
            #expect(r1.value(forHTTPHeaderField: "ETag") == r2.value(forHTTPHeaderField: "ETag"))
            #expect(r2.value(forHTTPHeaderField: "Content-Type") == "application/vnd.mapbox-vector-tile")
            let etag = try #require(r2.value(forHTTPHeaderField: "ETag"))
            _ = try f.store.load([FeatureRecord(properties: ["manhole_id": .text("MH-NEW"), "kind": .text("雨水")], wkb: wkbPoint(-47083, -66116))],
                                 into: f.catalog.layer("manholes")!, mode: .replace, source: .init(files: ["t"], checksum: "1", startedAt: Date()), counts: .init())
            let (after, r3) = try await get([:])
            #expect(r3.value(forHTTPHeaderField: "ETag") != etag)
            #expect(String(decoding: after, as: UTF8.self).contains("MH-NEW"))

            let c = try RawConnection(port: port); defer { c.close() }
            c.send("GET /conformance HTTP/1.1\r\nHost: x\r\n\r\nGET \(tilePath("manholes")) HTTP/1.1\r\nHost: x\r\n\r\n")
            var text = ""
            for _ in 0..<50 where text.components(separatedBy: "HTTP/1.1 200").count < 3 { text += try await c.receive() ?? "" }
            let conformance = try #require(text.range(of: "conformsTo")), tile = try #require(text.range(of: "MH-NEW"))
            #expect(conformance.lowerBound < tile.lowerBound)
        }
    }
}

@Suite struct HTTPDateTests {
    @Test func datesMatchFoundationsCalendar() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for t in stride(from: -86_400 * 800, to: 86_400 * 40_000, by: 86_400 * 37 + 3_723) {
            #expect(HTTPDate.string(forSecondsSince1970: t) == formatter.string(from: Date(timeIntervalSince1970: Double(t))))
        }
        // The access figures count JST days.
        #expect(AccessRecorder.day(Date(timeIntervalSince1970: 1_796_655_600 - 1)) == "2026-12-07")   // 23:59:59 JST
        #expect(AccessRecorder.day(Date(timeIntervalSince1970: 1_796_655_600)) == "2026-12-08")       // 00:00 JST
    }
}

@Suite struct AcceptEncodingTests {
    @Test func gzipIsAcceptedUnlessRefusedWithQZero() {
        for yes in ["gzip", "GZIP, deflate", "deflate, gzip", " gzip ", "gzip;q=0.5", "br;q=1.0, gzip;q=0.8", "gzip\t;\tq=1"] {
            #expect(Responses.accepts(yes, "gzip"), "\(yes)")
        }
        for no in [nil, "", "br", "x-gzip", "gzipped", "deflate, gzip;q=0", "gzip; q=0", "gzip;Q=0", "identity"] {
            #expect(!Responses.accepts(no, "gzip"), "\(no ?? "nil")")
        }
    }
}

@Suite struct TileIndexWarmerTests {
    @Test func indexesAreBuiltAtStartAndAgainWhenALayerChanges() throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let indexes = LayerIndexCache()
        let warmer = TileIndexWarmer(store: f.store, catalog: f.catalog, indexes: indexes, interval: .seconds(1))
        let first = try #require(warmer.warm(since: nil))
        #expect(Set(indexes.held.map(\.layerId)) == Set(f.catalog.layers.map(\.id)))
        let manholes = try #require(indexes.held.first { $0.layerId == "manholes" })
        #expect(warmer.warm(since: first) == first)   // nothing committed: nothing to do
        _ = try f.store.load([FeatureRecord(properties: ["manhole_id": .text("MH-NEW"), "kind": .text("雨水")], wkb: wkbPoint(-47083, -66116))],
                             into: f.catalog.layer("manholes")!, mode: .replace, source: .init(files: ["t"], checksum: "1", startedAt: Date()), counts: .init())
        #expect(warmer.warm(since: first) != first)
        let rebuilt = try #require(indexes.held.first { $0.layerId == "manholes" })
        #expect(rebuilt.version == manholes.version + 1)
        #expect(rebuilt.version == (try f.store.versionWatch.versions(of: ["manholes"]))["manholes"])
    }
}
