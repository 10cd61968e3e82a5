import Foundation
import GRDB
import Features
import Hummingbird
import Logging

/// An RFC 9457 problem: every error the server returns is one of these, as application/problem+json.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// Extra members, e.g. the parameter at fault.
    public var extras: [(String, JSONValue)]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ title: String, detail: String, extras: [(String, JSONValue)] = [],
                headers: HTTPFields = [:]) {
        self.status = status; self.title = title; self.detail = detail; self.extras = extras; self.headers = headers
    }

    public static func badRequest(_ detail: String, parameter: String? = nil) -> Problem {
        Problem(.badRequest, "Bad request", detail: detail, extras: parameter.map { [("parameter", .string($0))] } ?? [])
    }
    public static func notFound(_ detail: String) -> Problem { Problem(.notFound, "Not found", detail: detail) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var members: [(String, JSONValue)] = [("type", "about:blank"), ("title", .string(title)), ("status", .int(Int64(status.code))),
                                              ("detail", .string(detail)), ("instance", .string(request.uri.path))]
        members += extras
        var h = headers
        h[.contentType] = "application/problem+json"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(members).serialized())))
    }
}

/// Turns every error into a problem+json response: the router's own 404/405, decoding errors, and —
/// for anything unexpected — a 500 without internals (logged with the request).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let p as Problem {
            return try p.response(from: request, context: context)
        } catch let e as HTTPError {
            let title = e.status == .notFound ? "Not found" : e.status.reasonPhrase
            let detail = e.status == .notFound ? "no resource at \(request.uri.path)" : (e.body ?? e.status.reasonPhrase)
            return try Problem(e.status, title, detail: detail, headers: e.headers).response(from: request, context: context)
        } catch let e as any HTTPResponseError {
            return try Problem(e.status, e.status.reasonPhrase, detail: "\(e)").response(from: request, context: context)
        } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
            // A long ingest holds the write lock: a retryable condition, not a server fault.
            context.logger.warning("database busy", metadata: ["path": "\(request.uri.path)"])
            return try Problem(.serviceUnavailable, "Busy", detail: "the database is busy with an update; retry shortly",
                               headers: [.retryAfter: "5"]).response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try Problem(.internalServerError, "Internal server error", detail: "the server could not complete the request")
                .response(from: request, context: context)
        }
    }
}
