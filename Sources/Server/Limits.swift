import Foundation
import HTTPTypes
import Hummingbird
import Layers
import NIOCore
import Synchronization

/// An address or CIDR range from the settings (`127.0.0.1`, `10.0.0.0/8`, `::1`, `2001:db8::/32`).
struct AddressRange: Sendable, Hashable {
    let bytes: [UInt8]
    let prefixBits: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let bytes = Self.parse(parts[0]) else { return nil }
        let bits = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let bits, (0...bytes.count * 8).contains(bits) else { return nil }
        self.bytes = bytes; self.prefixBits = bits
    }

    /// IPv4 as 4 bytes, IPv6 as 16 (an IPv4-mapped IPv6 address as its IPv4 bytes).
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let b = withUnsafeBytes(of: &v6) { Array($0) }
        return b.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] ? Array(b.suffix(4)) : b
    }

    func contains(_ address: String) -> Bool {
        guard let other = Self.parse(address), other.count == bytes.count else { return false }
        let whole = prefixBits / 8, rest = prefixBits % 8
        if other.prefix(whole) != bytes.prefix(whole) { return false }
        if rest == 0 { return true }
        let mask = UInt8(0xff) << (8 - rest)
        return other[whole] & mask == bytes[whole] & mask
    }

    /// Parses every entry of a settings list, naming the first bad one.
    static func list(_ entries: [String], key: String) throws -> [AddressRange] {
        try entries.map { e in
            guard let r = AddressRange(e) else { throw LimitsError.badAddress(key: key, value: e) }
            return r
        }
    }
}

/// A `limits:` setting the server cannot use.
public enum LimitsError: Error, CustomStringConvertible, Sendable {
    case badAddress(key: String, value: String)
    public var description: String {
        switch self {
        case let .badAddress(key, value): "settings limits.\(key): \"\(value)\" is not an IP address or CIDR range (e.g. 10.0.0.0/8)"
        }
    }
}

/// Who is asking, by network address: the peer, or — when the peer is a trusted reverse proxy — the
/// nearest address in `X-Forwarded-For` that is not one of our proxies.
struct ClientAddressResolver: Sendable {
    let trustedProxies: [AddressRange]

    func client(peer: String?, forwardedFor: String?) -> String {
        guard let peer else { return "unknown" }
        guard let forwardedFor, trustedProxies.contains(where: { $0.contains(peer) }) else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.reversed().first { hop in !trustedProxies.contains { $0.contains(hop) } } ?? hops.first ?? peer
    }
}

/// Token buckets, one per client address: `burst` requests at once, refilled at `rate` per second.
final class RateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var updated: ContinuousClock.Instant }
    let rate: Double
    let burst: Double
    /// Buckets kept before full ones are forgotten (a full bucket is the same as none).
    let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Double, burst: Int, maxClients: Int = 100_000) {
        self.rate = rate; self.burst = Double(burst); self.maxClients = maxClients
    }

    /// Takes one token for `client`: nil when the request may go ahead, otherwise the seconds until it may.
    func take(_ client: String, now: ContinuousClock.Instant = .now) -> Double? {
        buckets.withLock { all in
            var b = all[client] ?? Bucket(tokens: burst, updated: now)
            b.tokens = min(burst, b.tokens + rate * Self.seconds(now - b.updated))
            b.updated = now
            defer {
                all[client] = b
                if all.count > maxClients { all = all.filter { $0.value.tokens + rate * Self.seconds(now - $0.value.updated) < burst } }
            }
            if b.tokens >= 1 { b.tokens -= 1; return nil }
            return rate > 0 ? (1 - b.tokens) / rate : .infinity
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// Per-client rate limiting of anonymous callers (429 with Retry-After). Callers with a token —
/// departments and gauges — are exempt: they are few, known and revocable, and a storm is exactly
/// when gauges send their backlog and staff must not be crowded out by public load. A request whose
/// token turns out invalid is charged like an anonymous one, so guessing tokens is limited too.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = ChizuContext
    let limiter: RateLimiter?
    let exempt: [AddressRange]
    let resolver: ClientAddressResolver

    init(settings: LimitSettings) throws {
        limiter = settings.anonymousRatePerSecond > 0 ? RateLimiter(rate: settings.anonymousRatePerSecond, burst: settings.anonymousBurst) : nil
        exempt = try AddressRange.list(settings.rateLimitExempt, key: "rate_limit_exempt")
        resolver = ClientAddressResolver(trustedProxies: try AddressRange.list(settings.trustedProxies, key: "trusted_proxies"))
    }

    func handle(_ request: Request, context: ChizuContext, next: (Request, ChizuContext) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = client(of: request, context)
        let client = context.clientAddress
        guard let limiter = limiter(for: client) else { return try await next(request, context) }
        if request.headers[.authorization] == nil {
            if let refusal = charge(limiter, client, context) { throw refusal }
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch let p as Problem where p.status == .unauthorized {
            if let refusal = charge(limiter, client, context) { throw refusal }
            throw p
        }
    }

    /// The client's address: the peer, or the forwarded-for address when the peer is a trusted proxy.
    func client(of request: Request, _ context: ChizuContext) -> String {
        resolver.client(peer: context.channel?.remoteAddress?.ipAddress, forwardedFor: request.headers[HTTPField.Name("X-Forwarded-For")!])
    }

    /// The limiter that applies to `client`; nil when none does ("unknown" is the in-process test
    /// client, with no network peer to tell apart).
    func limiter(for client: String) -> RateLimiter? {
        guard let limiter, client != "unknown", !exempt.contains(where: { $0.contains(client) }) else { return nil }
        return limiter
    }

    /// Charges one request to `client`; the 429 problem when it is over its budget.
    func charge(_ limiter: RateLimiter, _ client: String, _ context: ChizuContext) -> Problem? {
        guard let wait = limiter.take(client) else { return nil }
        let seconds = wait.isFinite ? max(1, Int(wait.rounded(.up))) : 3600
        context.logger.notice("rate limited", metadata: ["client": "\(client)"])
        return Problem(.tooManyRequests, "Too many requests",
                       detail: "more than \(Int(limiter.burst)) requests at once or \(limiter.rate) a second from \(client); retry after \(seconds) s",
                       headers: [.retryAfter: "\(seconds)"])
    }
}

/// Size and time limits of one request: the head (431), the body (413, read here in full so that no
/// handler waits on a slow sender), and the time to receive and answer it (408 while the body is
/// still arriving or once it stalls for `bodyStall`, 503 after). The deadline cancels the handler: work that awaits — body reads,
/// the readings writer, sleeps — stops at once; a running SQLite statement finishes first.
/// Streamed bodies (SSE, downloads) are written after the handler returns and are not timed.
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = ChizuContext
    let maxBodyBytes: Int
    let maxHeaderBytes: Int
    let timeout: Duration
    let bodyStall: Duration

    init(maxBodyBytes: Int, maxHeaderBytes: Int, timeout: Duration, bodyStall: Duration = .seconds(10)) {
        self.maxBodyBytes = maxBodyBytes; self.maxHeaderBytes = maxHeaderBytes
        self.timeout = timeout; self.bodyStall = bodyStall
    }

    /// A request without a body needs no read.
    static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return length != "0" }
        return request.headers[.transferEncoding] != nil
    }

    /// The size of a request's head as the limit counts it: the path and every header line.
    static func headBytes(_ head: HTTPRequest) -> Int {
        head.headerFields.reduce((head.path ?? "").utf8.count) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
    }

    func handle(_ request: Request, context: ChizuContext, next: (Request, ChizuContext) async throws -> Response) async throws -> Response {
        let head = Self.headBytes(request.head)
        guard head <= maxHeaderBytes else {
            throw Problem(.requestHeaderFieldsTooLarge, "Request header fields too large",
                          detail: "the request's headers take \(head) bytes; the limit is \(maxHeaderBytes)")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            context.stopReading()
            throw tooLarge()
        }
        let deadline = ContinuousClock.now + timeout
        var request = request
        if Self.hasBody(request) {
            let body: BodyRead
            do {
                body = try await Self.collect(request.body, upTo: maxBodyBytes, deadline: deadline, stall: bodyStall)
            } catch is NIOTooManyBytesError {
                context.stopReading()
                throw tooLarge()
            }
            switch body {
            case .complete(let buffer):
                request.body = .init(buffer: buffer)
            case .late:
                context.stopReading()
                throw Problem(.requestTimeout, "Request timeout",
                              detail: "the request body did not arrive within \(Self.describe(timeout))", headers: [.connection: "close"])
            case .stalled(let received):
                context.stopReading()
                throw Problem(.requestTimeout, "Request timeout",
                              detail: "the request body stopped arriving: no byte for \(Self.describe(bodyStall)) after \(received) bytes",
                              headers: [.connection: "close"])
            }
        }
        return try await answer(request, context, next, deadline)
    }

    /// How reading a body ended.
    enum BodyRead: Sendable {
        case complete(ByteBuffer)
        /// The whole body had not arrived by the request's deadline.
        case late
        /// No byte arrived for the stall time (this many had).
        case stalled(Int)
    }

    /// Reads a whole body of at most `limit` bytes, giving up at `deadline` or once no byte has
    /// arrived for `stall` (a watchdog beside the reader; the reader is cancelled either way).
    static func collect(_ body: RequestBody, upTo limit: Int, deadline: ContinuousClock.Instant, stall: Duration) async throws -> BodyRead {
        let progress = BodyProgress()
        return try await withThrowingTaskGroup(of: BodyRead.self) { group in
            group.addTask {
                var buffer = ByteBuffer()
                for try await chunk in body {
                    guard buffer.readableBytes + chunk.readableBytes <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
                    buffer.writeImmutableBuffer(chunk)
                    progress.state.withLock { $0 = (ContinuousClock.now, buffer.readableBytes) }
                }
                return .complete(buffer)
            }
            group.addTask {
                while true {
                    let last = progress.state.withLock { $0 }
                    let now = ContinuousClock.now
                    if now >= deadline { return .late }
                    if now - last.at >= stall { return .stalled(last.bytes) }
                    try await Task.sleep(until: min(deadline, last.at + stall), clock: .continuous)
                }
            }
            defer { group.cancelAll() }
            return try await group.next() ?? .late
        }
    }

    func answer(_ request: Request, _ context: ChizuContext, _ next: (Request, ChizuContext) async throws -> Response,
                _ deadline: ContinuousClock.Instant) async throws -> Response {
        let response = try await withoutActuallyEscaping(next) { next in
            let once = HandlerCall(next)
            return try await within(deadline) { try await once.call(request, context) }
        }
        guard let response else {
            context.logger.warning("request timed out", metadata: ["path": "\(request.uri.path)"])
            throw Problem(.serviceUnavailable, "Service unavailable",
                          detail: "the server could not answer within \(Self.describe(timeout)); try again or narrow the request",
                          headers: [.retryAfter: "5"])
        }
        return response
    }

    func tooLarge() -> Problem {
        Problem(.contentTooLarge, "Content too large", detail: "the request body is larger than \(maxBodyBytes) bytes",
                headers: [.connection: "close"])
    }

    static func describe(_ d: Duration) -> String { "\(RateLimiter.seconds(d)) s" }
}

/// When the last byte of a body arrived and how many had, shared by its reader and watchdog.
private final class BodyProgress: Sendable {
    let state = Mutex((at: ContinuousClock.now, bytes: 0))
}

/// The handler of one request, callable from the deadline's child task. `@unchecked Sendable`:
/// it is called at most once, by one task of a group that does not outlive the middleware call.
private final class HandlerCall: @unchecked Sendable {
    let next: (Request, ChizuContext) async throws -> Response
    init(_ next: @escaping (Request, ChizuContext) async throws -> Response) { self.next = next }
    func call(_ request: Request, _ context: ChizuContext) async throws -> Response { try await next(request, context) }
}

/// Runs `operation` until `deadline`: its value, or nil when the deadline came first (it is then cancelled).
func within<T: Sendable>(_ deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask { try await Task.sleep(until: deadline, clock: .continuous); return nil }
        defer { group.cancelAll() }
        do {
            return try await group.next() ?? nil
        } catch is CancellationError where ContinuousClock.now >= deadline {
            return nil
        }
    }
}
