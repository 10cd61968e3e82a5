import Foundation
import Hummingbird
import Logging

/// One structured log line per request: method, path, status, duration, bytes, who asked and from where.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = ChizuContext

    func handle(_ request: Request, context: ChizuContext, next: (Request, ChizuContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
            "ms": "\(String(format: "%.2f", ms))", "bytes": "\(response.body.contentLength.map(String.init) ?? "stream")",
            "caller": "\(context.caller)", "client": "\(context.clientAddress)",
        ])
        return response
    }
}
