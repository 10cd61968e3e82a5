import Foundation
import CompressNIO
import Hummingbird

/// The representations an endpoint can answer with.
enum OutputFormat: String, Sendable {
    case json, html, csv
}

extension Request {
    /// One query parameter's value (the first, if repeated).
    func query(_ name: String) -> String? { uri.queryParameters[Substring(name)].map(String.init) }

    /// `f=` wins; otherwise the Accept header; JSON by default. An unsupported `f` is a 400.
    func format(allowed: Set<OutputFormat>) throws -> OutputFormat {
        if let f = query("f")?.lowercased() {
            let wanted: OutputFormat? = switch f {
            case "json", "geojson", "application/json", "application/geo+json": .json
            case "html", "text/html": .html
            case "csv", "text/csv": .csv
            default: nil
            }
            guard let wanted, allowed.contains(wanted) else {
                throw Problem.badRequest("f=\(f) is not offered here; use one of: \(allowed.map(\.rawValue).sorted().joined(separator: ", "))", parameter: "f")
            }
            return wanted
        }
        let accept = headers[.accept]?.lowercased() ?? ""
        if allowed.contains(.html), accept.contains("text/html") { return .html }
        if allowed.contains(.csv), accept.hasPrefix("text/csv") { return .csv }
        return .json
    }

    /// `lang=` or Accept-Language; Japanese by default.
    var language: String {
        if let l = query("lang")?.lowercased() { return l.hasPrefix("en") ? "en" : "ja" }
        let accept = headers[.acceptLanguage]?.lowercased() ?? ""
        return accept.hasPrefix("en") ? "en" : "ja"
    }
}

enum Responses {
    /// A response with these bytes, gzip-compressed when the client accepts it and it is worth it.
    static func bytes(_ b: [UInt8], _ contentType: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
                      for request: Request? = nil) -> Response {
        var h = headers
        h[.contentType] = contentType
        var buffer = ByteBuffer(bytes: b)
        if let request, b.count >= 1024, accepts(request, "gzip"), let gz = try? buffer.compress(with: .gzip()) {
            h[.contentEncoding] = "gzip"
            h[.vary] = "Accept-Encoding"
            return Response(status: status, headers: h, body: .init(byteBuffer: gz))
        }
        return Response(status: status, headers: h, body: .init(byteBuffer: buffer))
    }

    static func html(_ s: String, headers: HTTPFields = [:], for request: Request? = nil) -> Response {
        bytes(Array(s.utf8), "text/html; charset=utf-8", headers: headers, for: request)
    }

    /// True when Accept-Encoding lists `coding` without q=0.
    static func accepts(_ request: Request, _ coding: String) -> Bool {
        accepts(request.headers[.acceptEncoding], coding)
    }

    /// True when the Accept-Encoding value `header` lists `coding` (case-insensitively) without q=0.
    /// Byte-wise: it runs on every tile request.
    static func accepts(_ header: String?, _ coding: String) -> Bool {
        guard let header else { return false }
        let wanted = Array(coding.lowercased().utf8)
        func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var s = s
            while let f = s.first, f == 0x20 || f == 0x09 { s.removeFirst() }
            while let l = s.last, l == 0x20 || l == 0x09 { s.removeLast() }
            return s
        }
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
        let bytes = Array(header.utf8)
        for part in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            let params = part.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
            guard let name = params.first.map(trimmed), name.count == wanted.count,
                  zip(name, wanted).allSatisfy({ lower($0) == $1 }) else { continue }
            let refused = params.dropFirst().contains { p in
                p.filter { $0 != 0x20 && $0 != 0x09 }.map(lower) == Array("q=0".utf8)
            }
            if !refused { return true }
        }
        return false
    }

    /// A weak validator from the data version, the exact request and the caller's rights, so a
    /// cached answer is never reused across callers who see different things.
    static func etag(_ parts: [String]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in parts.joined(separator: "|").utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return "W/\"\(String(h, radix: 36))\""
    }

    /// 304 when the client already has this version.
    static func notModified(_ request: Request, etag: String) -> Response? {
        guard matches(request.headers[.ifNoneMatch], etag: etag) else { return nil }
        return Response(status: .notModified, headers: [.eTag: etag])
    }

    /// True when the If-None-Match value `header` names `etag` (or is `*`).
    static func matches(_ header: String?, etag: String) -> Bool {
        guard let inm = header else { return false }
        return inm == "*" || inm.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
    }
}
