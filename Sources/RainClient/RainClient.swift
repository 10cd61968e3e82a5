import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Store

/// A gauge's or gateway's HTTP/1.1 connection to Chizu: posts readings with its token, one batch at
/// a time on one kept-alive connection (what a field gateway does; also the tests' and benchmark's client).
public struct RainPoster: Sendable {
    public let host: String
    public let port: Int
    public let token: String

    public init(host: String, port: Int, token: String) { self.host = host; self.port = port; self.token = token }

    /// A server answer: status code and body text.
    public struct Answer: Sendable { public var status: Int; public var body: String }

    /// Posts each batch in turn on one connection; `sending` is called before each request and `sent`
    /// after each answer (e.g. to time them).
    public func post(_ batches: [[Reading]], sending: @Sendable (Int) -> Void = { _ in },
                     sent: @Sendable (Int, Answer) async throws -> Void = { _, _ in }) async throws {
        let channel = try await HTTPChannel.connect(host: host, port: port)
        try await channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            for (i, batch) in batches.enumerated() {
                let body = ByteBuffer(string: "[" + batch.map(Self.json).joined(separator: ",") + "]")
                var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/rain/readings")
                head.headers = ["Host": "\(host):\(port)", "Content-Type": "application/json", "Authorization": "Bearer \(token)",
                                "Content-Length": "\(body.readableBytes)"]
                sending(i)
                try await outbound.write(.head(head))
                try await outbound.write(.body(.byteBuffer(body)))
                try await outbound.write(.end(nil))
                var status = 0
                var text = ByteBuffer()
                reading: while let part = try await responses.next() {
                    switch part {
                    case .head(let h): status = Int(h.status.code)
                    case .body(var b): text.writeBuffer(&b)
                    case .end: break reading
                    }
                }
                try await sent(i, Answer(status: status, body: String(buffer: text)))
            }
        }
    }

    /// A reading as the server's JSON: `{"site","observed_at","value"}`.
    public static func json(_ r: Reading) -> String {
        "{\"site\":\"\(r.site)\",\"observed_at\":\"\(RainTime.jst(r.observedAt))\",\"value\":\(r.value.map { "\($0)" } ?? "null")}"
    }
}

/// One Server-Sent Event as received.
public struct RainStreamEvent: Sendable, Hashable {
    public var id: Int64?
    public var event: String
    public var data: String
}

/// Follows `/rain/stream`: calls `handle` for each event until it returns false (or the server closes).
public struct RainStreamReader: Sendable {
    public let host: String
    public let port: Int
    public init(host: String, port: Int) { self.host = host; self.port = port }

    /// Reads the stream from after `lastEventId` (nil: from now on). `onOpen` runs once the server's
    /// first bytes arrived (the subscription exists from then on). Returns the last event id seen.
    @discardableResult
    public func follow(lastEventId: Int64? = nil, onOpen: @Sendable () async -> Void = {},
                       handle: @Sendable (RainStreamEvent) async throws -> Bool) async throws -> Int64? {
        let channel = try await HTTPChannel.connect(host: host, port: port)
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/rain/stream")
            head.headers = ["Host": "\(host):\(port)", "Accept": "text/event-stream"]
            if let lastEventId { head.headers.add(name: "Last-Event-ID", value: String(lastEventId)) }
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            var pending: [UInt8] = []
            var last = lastEventId
            var opened = false
            for try await part in inbound {
                guard case .body(let b) = part else { if case .end = part { break } else { continue } }
                if !opened { opened = true; await onOpen() }
                pending += b.readableBytesView
                // Events end with a blank line; parse every complete one, then keep the rest.
                var start = 0
                while let end = Self.blankLine(in: pending, from: start) {
                    let block = String(decoding: pending[start..<end], as: UTF8.self)
                    start = end + 2
                    var e = RainStreamEvent(id: nil, event: "message", data: "")
                    var hasData = false
                    for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                        if line.hasPrefix(":") { continue }
                        if line.hasPrefix("id: ") { e.id = Int64(line.dropFirst(4)) }
                        else if line.hasPrefix("event: ") { e.event = String(line.dropFirst(7)) }
                        else if line.hasPrefix("data: ") { e.data = String(line.dropFirst(6)); hasData = true }
                    }
                    guard hasData else { continue }
                    if let id = e.id { last = id }
                    if try await !handle(e) { return last }
                }
                pending.removeFirst(start)
            }
            return last
        }
    }

    static func blankLine(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= start + 2 else { return nil }
        for i in start..<(bytes.count - 1) where bytes[i] == 0x0A && bytes[i + 1] == 0x0A { return i }
        return nil
    }
}

/// An HTTP/1.1 client channel with NIO's encoder and decoder.
enum HTTPChannel {
    static func connect(host: String, port: Int) async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
    }
}
