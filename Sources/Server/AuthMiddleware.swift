import Foundation
import Hummingbird
import Layers

/// Sets the request's caller from `Authorization: Bearer TOKEN`. A token in the query string is
/// refused (it would end up in logs and browser history); a bad, revoked or expired token is 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ChizuContext
    let tokens: TokenService

    func handle(_ request: Request, context: ChizuContext, next: (Request, ChizuContext) async throws -> Response) async throws -> Response {
        for name in ["access_token", "token", "api_key", "apikey"] where request.uri.queryParameters[Substring(name)] != nil {
            throw Problem.badRequest("tokens are not accepted in the URL; send them as 'Authorization: Bearer TOKEN'", parameter: name)
        }
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.lowercased().hasPrefix("bearer ") else {
            throw Problem(.unauthorized, "Unauthorized", detail: "use 'Authorization: Bearer TOKEN'",
                          headers: [.wwwAuthenticate: "Bearer realm=\"chizu\""])
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        switch try tokens.caller(for: token) {
        case .success(let caller):
            var context = context
            context.caller = caller
            return try await next(request, context)
        case .failure(let refusal):
            let why = switch refusal {
            case .malformed, .unknown: "the token is not valid"
            case .revoked: "the token has been revoked"
            case .expired: "the token has expired"
            }
            throw Problem(.unauthorized, "Unauthorized", detail: why,
                          headers: [.wwwAuthenticate: "Bearer realm=\"chizu\", error=\"invalid_token\""])
        }
    }
}
