import Features
import Foundation
import HTTPTypes
import Hummingbird
import Layers
import Logging
import ServiceLifecycle
import Store

/// The live rain gauges: `POST /rain/readings` (devices and crisis-management editors),
/// `GET /rain/gauges/{id}/readings` (time series), `GET /rain/alerts`, and `GET /rain/stream` (SSE).
struct RainRoutes: Sendable {
    let access: LayerAccess
    let service: RainService

    func register(on router: Router<ChizuContext>) {
        router.post("/rain/readings") { request, context in try await post(request, context) }
        router.get("/rain/gauges/:siteId/readings") { request, context in try series(request, context) }
        router.get("/rain/alerts") { request, context in try alerts(request, context) }
        router.get("/rain/stream") { request, context in try stream(request, context) }
    }

    /// A reading as posted: `{"site": "G1", "observed_at": "2026-11-20T10:00:00+09:00", "value": 1.5}`;
    /// `value` null means the gauge reported a missing value.
    struct PostedReading: Decodable {
        var site: String
        var observedAt: String
        var value: Double?
        enum CodingKeys: String, CodingKey { case site, observedAt = "observed_at", value }
    }

    /// `{"readings": [...]}`.
    struct Wrapper: Decodable { var readings: [PostedReading] }

    /// One reading, an array of readings, or `{"readings": [...]}`, told apart by the first byte and
    /// key so that a decoding error points at the right reading.
    static func decodeBody(_ data: Data) throws -> [PostedReading] {
        let decoder = JSONDecoder()
        switch data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
        case UInt8(ascii: "["): return try decoder.decode([PostedReading].self, from: data)
        case UInt8(ascii: "{"):
            if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["readings"] != nil {
                return try decoder.decode(Wrapper.self, from: data).readings
            }
            return [try decoder.decode(PostedReading.self, from: data)]
        default: throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not JSON"))
        }
    }

    func post(_ request: Request, _ context: ChizuContext) async throws -> Response {
        let caller = context.caller
        guard !caller.isAnonymous else {
            throw Problem(.unauthorized, "Unauthorized", detail: "posting readings needs a device token (chizu token create --device SITE)",
                          headers: [.wwwAuthenticate: "Bearer realm=\"chizu\""])
        }
        // RequestLimitsMiddleware has read the body already, within limits.max_body_bytes.
        let body = try await request.body.collect(upTo: .max)
        let posted: [PostedReading]
        do {
            posted = try Self.decodeBody(Data(buffer: body))
        } catch {
            let problem = Self.decodingProblem(error)
            context.logger.warning("rain readings refused", metadata: ["caller": "\(caller)", "problem": "\(problem.detail)"])
            throw problem
        }
        guard !posted.isEmpty else { throw Problem.badRequest("no readings in the body") }
        let sites = try service.sites()
        let now = Int64(Date().timeIntervalSince1970)
        let horizon = now + Int64(service.readings.intervalSeconds)   // a gauge clock a little fast is fine
        var readings: [Reading] = []
        var problems: [(Int, String, String, String)] = []   // index, field, kind, message
        var forbidden: [(Int, String)] = []
        for (i, p) in posted.enumerated() {
            guard sites.contains(p.site) else { problems.append((i, "site", "unknown-site", "site \"\(p.site)\" is not a gauge of \(service.layer.id)")); continue }
            guard caller.mayPostReadings(site: p.site, of: service.layer) else { forbidden.append((i, p.site)); continue }
            guard let t = RainTime.parse(p.observedAt), p.observedAt.count > 10 else {
                problems.append((i, "observed_at", "bad-time", "\"\(p.observedAt)\" is not an ISO 8601 time with an offset, e.g. 2026-11-20T10:00:00+09:00")); continue
            }
            guard t <= horizon else { problems.append((i, "observed_at", "future-time", "\(p.observedAt) is in the future")); continue }
            if let v = p.value, !service.readings.validRange.contains(v) || !v.isFinite {
                let r = service.readings.validRange
                problems.append((i, "value", v < 0 ? "negative-value" : "absurd-value",
                                 "\(v) \(service.readings.unit) is outside the plausible range \(r.lowerBound)…\(r.upperBound)"))
                continue
            }
            readings.append(Reading(site: p.site, observedAt: t, value: p.value))
        }
        if !forbidden.isEmpty {
            let sitesList = Set(forbidden.map(\.1)).sorted().joined(separator: ", ")
            context.logger.warning("rain readings forbidden", metadata: ["caller": "\(caller)", "sites": "\(sitesList)"])
            throw Problem(.forbidden, "Forbidden", detail: "\(caller) may not post readings for \(sitesList)",
                          extras: [("reading", .int(Int64(forbidden[0].0))), ("field", "site")])
        }
        if !problems.isEmpty {
            context.logger.warning("rain readings refused", metadata: [
                "caller": "\(caller)", "count": "\(problems.count)",
                "first": "reading \(problems[0].0) \(problems[0].1): \(problems[0].3)"])
            let list: [JSONValue] = problems.prefix(100).map { p in
                .object([("reading", .int(Int64(p.0))), ("field", .string(p.1)), ("kind", .string(p.2)), ("message", .string(p.3))])
            }
            let first = problems[0]
            throw Problem(.unprocessableContent, "Invalid reading",
                          detail: "reading \(first.0), \(first.1): \(first.3)" + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
                            + "; nothing was stored",
                          extras: [("reading", .int(Int64(first.0))), ("field", .string(first.1)), ("errors", .array(list))])
        }
        let result = try await service.writer.write(readings, layer: service.layer.id, settings: service.settings)
        let doc: JSONValue = .object([
            ("accepted", .int(Int64(readings.count))), ("inserted", .int(Int64(result.inserted))),
            ("corrected", .int(Int64(result.corrected))), ("unchanged", .int(Int64(result.unchanged))),
            ("alerts", .array(result.alerts.map(Self.alertJSON))),
            ("last_event_id", result.messages.last.map { .int($0.seq) } ?? .null),
        ])
        return Responses.bytes(doc.serialized(), "application/json")
    }

    /// Where in the body decoding failed: the reading's index and the field.
    static func decodingProblem(_ error: any Error) -> Problem {
        func locate(_ path: [any CodingKey]) -> [(String, JSONValue)] {
            var out: [(String, JSONValue)] = []
            if let i = path.compactMap(\.intValue).first { out.append(("reading", .int(Int64(i)))) }
            if let f = path.last(where: { $0.intValue == nil && $0.stringValue != "readings" }) { out.append(("field", .string(f.stringValue))) }
            return out
        }
        switch error {
        case DecodingError.typeMismatch(let type, let ctx):
            let where_ = locate(ctx.codingPath)
            return Problem(.badRequest, "Bad request", detail: "expected \(type) at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))", extras: where_)
        case DecodingError.keyNotFound(let key, let ctx):
            return Problem(.badRequest, "Bad request", detail: "\"\(key.stringValue)\" is missing", extras: locate(ctx.codingPath + [key]))
        case DecodingError.valueNotFound(_, let ctx):
            return Problem(.badRequest, "Bad request", detail: "a value is missing at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))",
                           extras: locate(ctx.codingPath))
        default:
            return Problem.badRequest("the body is not JSON readings: {\"site\", \"observed_at\", \"value\"}, an array of them, or {\"readings\": [...]}")
        }
    }

    /// A feed message as an SSE event name and its JSON data.
    static func event(_ m: RainFeedMessage) -> (String, JSONValue) {
        switch m.content {
        case let .reading(r, sums, corrected):
            return ("reading", .object([
                ("site", .string(r.site)), ("observed_at", .string(RainTime.jst(r.observedAt))), ("value", r.value.map(JSONValue.double) ?? .null),
                ("sum_60m", .double(sums.sum60m)), ("sum_24h", .double(sums.sum24h)), ("event_total", .double(sums.eventTotal)),
                ("corrected", .bool(corrected)),
            ]))
        case let .alert(a): return ("alert", alertJSON(a))
        }
    }

    static func alertJSON(_ a: RainAlert) -> JSONValue {
        .object([("id", .int(a.id)), ("site", .string(a.site)), ("threshold", .string(a.thresholdId)), ("label", .string(a.label)),
                 ("measure", .string(a.measure.rawValue)), ("threshold_mm", .double(a.thresholdMm)), ("value_mm", .double(a.valueMm)),
                 ("observed_at", .string(RainTime.jst(a.observedAt))), ("recorded_at", .string(a.recordedAt))])
    }

    /// A time parameter: ISO 8601 with an offset, or a JST date (a `+` sent unencoded arrives as a space).
    static func time(_ request: Request, _ name: String) throws -> Int64? {
        guard let raw = request.query(name) else { return nil }
        guard let t = RainTime.parse(raw.replacingOccurrences(of: " ", with: "+")) else {
            throw Problem.badRequest("\(name)=\(raw) is not a time like 2026-11-20T10:00:00+09:00 or a date like 2026-11-20", parameter: name)
        }
        return t
    }

    func series(_ request: Request, _ context: ChizuContext) throws -> Response {
        let layer = try access.layer(service.layer.id, for: context.caller)
        let site = try context.parameters.require("siteId")
        guard try service.sites().contains(site) else { throw Problem.notFound("no rain gauge '\(site)'") }
        let format = try request.format(allowed: [.json, .csv])
        let interval: Int64
        switch request.query("interval") ?? "10m" {
        case "10m": interval = 600
        case "1h": interval = 3600
        case "1d": interval = 86400
        case let other: throw Problem.badRequest("interval=\(other) is not offered; use 10m, 1h or 1d", parameter: "interval")
        }
        let latest = try service.store.gaugeStates(layer: layer.id, sites: [site], now: 0, settings: service.settings)[site]?.observedAt
        let to = try Self.time(request, "to") ?? latest ?? Int64(Date().timeIntervalSince1970)
        let from = try Self.time(request, "from") ?? (to - 86400)
        guard from < to else { throw Problem.badRequest("from must be before to", parameter: "from") }
        guard (to - from) / interval <= 10_000 else {
            throw Problem.badRequest("at most 10,000 intervals per request; narrow from/to or use a longer interval", parameter: "interval")
        }
        let buckets = try service.store.rainBuckets(layer: layer.id, site: site, from: from, to: to, interval: interval)
        let label = request.query("interval") ?? "10m"
        var cumulative = 0.0
        if format == .csv {
            var s = "site,time,rain_mm,cumulative_mm,readings,missing\r\n"
            for b in buckets {
                cumulative += b.value ?? 0
                s += "\(site),\(RainTime.jst(b.end)),\(b.value.map { "\($0)" } ?? ""),\(Self.round(cumulative)),\(b.count),\(b.missing)\r\n"
            }
            return Responses.bytes(Array(s.utf8), "text/csv; charset=utf-8",
                                   headers: [.contentDisposition: "attachment; filename=\"\(site)-\(label).csv\""], for: request)
        }
        let rows: [JSONValue] = buckets.map { b in
            cumulative += b.value ?? 0
            return .object([("time", .string(RainTime.jst(b.end))), ("rain_mm", b.value.map(JSONValue.double) ?? .null),
                            ("cumulative_mm", .double(Self.round(cumulative))), ("readings", .int(Int64(b.count))), ("missing", .int(Int64(b.missing)))])
        }
        let doc: JSONValue = .object([
            ("site", .string(site)), ("interval", .string(label)), ("unit", .string(service.readings.unit)),
            ("from", .string(RainTime.jst(from))), ("to", .string(RainTime.jst(to))),
            ("note", "each value is the rain in the interval ending at its time (JMA convention); days are JST days"),
            ("series", .array(rows)),
        ])
        return Responses.bytes(doc.serialized(), "application/json", for: request)
    }

    static func round(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }

    func alerts(_ request: Request, _ context: ChizuContext) throws -> Response {
        let layer = try access.layer(service.layer.id, for: context.caller)
        _ = try request.format(allowed: [.json])
        let limit = Int(request.query("limit") ?? "100") ?? -1
        guard (1...10_000).contains(limit) else { throw Problem.badRequest("limit must be 1…10000", parameter: "limit") }
        let list = try service.store.rainAlerts(layer: layer.id, since: try Self.time(request, "since"), limit: limit)
        let doc: JSONValue = .object([
            ("thresholds", .array(service.settings.thresholds.map { t in
                .object([("id", .string(t.id)), ("label", .string(t.label)), ("measure", .string(t.measure.rawValue)), ("mm", .double(t.mm))])
            })),
            ("alerts", .array(list.map(Self.alertJSON))),
        ])
        return Responses.bytes(doc.serialized(), "application/json", for: request)
    }

    /// Server-Sent Events: `event: reading` / `event: alert`, `id:` the feed seq. With Last-Event-ID
    /// (or `?last_event_id=`), missed messages are replayed from the database first; a subscriber that
    /// falls behind refills its gap from the database too, so none is lost or repeated.
    func stream(_ request: Request, _ context: ChizuContext) throws -> Response {
        _ = try access.layer(service.layer.id, for: context.caller)
        let header = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.query("last_event_id")
        var resume: Int64?
        if let header {
            guard let n = Int64(header.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw Problem.badRequest("Last-Event-ID must be an event id from this stream", parameter: "Last-Event-ID")
            }
            resume = n
        }
        let store = service.store
        let hub = service.hub
        let start = try resume ?? store.rainFeedHead()
        let body = ResponseBody { writer in
            // Subscribed here, not in the handler, so a response that is never written leaves no
            // subscriber behind. Nothing committed since `start` is lost: the refill reads from it.
            let (id, events) = hub.subscribe()
            defer { hub.unsubscribe(id) }
            do {
                // A client that hangs up ends its stream at once, not at the next keep-alive write
                // (until then its socket, subscription and buffer would stay: see hard/load.sh).
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    try await Self.follow(events, from: start, store: store, writer: &writer, onShutdown: { hub.unsubscribe(id) })
                }
            } catch is CancellationError {
                return
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache",
                                               HTTPField.Name("X-Accel-Buffering")!: "no"], body: body)
    }

    /// Writes the feed to an SSE response: what was committed after `start` (from the database), then
    /// each published batch, refilling from the database any gap a slow subscriber's buffer dropped.
    static func follow(_ events: AsyncStream<RainStreamEvent>, from start: Int64, store: SpatialStore,
                       writer: inout any ResponseBodyWriter, onShutdown: @escaping @Sendable () -> Void) async throws {
        var last = start
        var out = ByteBuffer(string: "retry: 2000\n: connected, last event \(start)\n\n")
        func frame(_ m: RainFeedMessage) {
            let (event, data) = Self.event(m)
            out.writeString("id: \(m.seq)\nevent: \(event)\ndata: ")
            out.writeBytes(data.serialized())
            out.writeString("\n\n")
            last = m.seq
        }
        func refill(upTo end: Int64?) throws {
            while true {
                let page = try store.rainFeed(after: last, limit: 2_000)
                for m in page where end.map({ m.seq < $0 }) ?? true { frame(m) }
                if page.count < 2_000 || (end.map { last >= $0 - 1 } ?? false) { break }
            }
        }
        try refill(upTo: nil)
        try await writer.write(out); out.clear()
        // The server's graceful shutdown ends the stream (clients reconnect with Last-Event-ID).
        try await withGracefulShutdownHandler {
            for await event in events {
                switch event {
                case .keepAlive: out.writeString(": keep-alive\n\n")
                case .messages(let batch):
                    for m in batch where m.seq > last {
                        if m.seq > last + 1 { try refill(upTo: m.seq) }   // missed (buffer overflow): from the database
                        frame(m)
                    }
                    if out.readableBytes == 0 { continue }
                }
                try await writer.write(out); out.clear()
            }
        } onGracefulShutdown: {
            onShutdown()
        }
    }
}
