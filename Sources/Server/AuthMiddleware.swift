import Foundation
import Hummingbird
import Layers

/// Sets the request's caller from `Authorization: Bearer TOKEN`. A token in the query string is
/// refused (it would end up in logs and browser history), whatever the parameter is called; a bad,
/// revoked or expired token is 401. Answers to a signed-in caller are marked private, so no shared
/// cache keeps what only that caller may see.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ChizuContext
    let tokens: TokenService

    /// Query parameter names that carry credentials by convention (compared case-insensitively).
    static let tokenParameters: Set<String> = ["access_token", "token", "api_key", "apikey", "bearer", "authorization"]

    /// The first query parameter that carries a token: by its name, or by a value shaped like one of ours.
    static func tokenInQuery(_ request: Request) -> String? {
        request.uri.queryParameters.first {
            tokenParameters.contains($0.key.lowercased()) || looksLikeToken($0.value.removingPercentEncoding ?? String($0.value))
        }.map { String($0.key) }
    }

    /// `chz_` and a 12-character id, anywhere in the value (e.g. `Bearer chz_…` or a pasted header).
    static func looksLikeToken(_ value: String) -> Bool {
        value.contains(/chz_[0-9a-fA-F]{12}_/)
    }

    func handle(_ request: Request, context: ChizuContext, next: (Request, ChizuContext) async throws -> Response) async throws -> Response {
        if let name = Self.tokenInQuery(request) {
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
            var response = try await next(request, context)
            if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "private" }
            return response
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
