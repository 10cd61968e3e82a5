import Hummingbird
import Layers
import NIOCore

/// Per-request state: who is asking (set by `AuthMiddleware` before any handler runs) and from where.
public struct ChizuContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller; anonymous until a valid bearer token says otherwise.
    public var caller: Caller = .anonymous
    /// The client's network address (see `ClientAddressResolver`); "unknown" in in-process tests.
    public var clientAddress = "unknown"
    /// The connection the request came on (nil in in-process tests).
    let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel.remoteAddress == nil ? nil : source.channel
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Reads no more of the request: a refused body is not drained, the connection closes after the answer.
    func stopReading() {
        channel?.close(mode: .input, promise: nil)
    }
}
