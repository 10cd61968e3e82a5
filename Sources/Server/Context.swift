import Hummingbird
import Layers

/// Per-request state: who is asking (set by `AuthMiddleware` before any handler runs).
public struct ChizuContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller; anonymous until a valid bearer token says otherwise.
    public var caller: Caller = .anonymous

    public init(source: Source) { coreContext = .init(source: source) }
}
