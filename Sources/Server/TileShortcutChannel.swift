import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Hummingbird's HTTP/1.1 channel with `TileShortcutHandler` in its pipeline, right after the
/// connection-state handler (which keeps counting requests for idle time-outs and graceful
/// shutdown) and before the hand-over to Swift concurrency.
struct TileShortcutHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel
    let shortcut: PublicTileShortcut

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let state = try pipeline.handler(type: HTTPConnectionStateHandler.self)
            try pipeline.addHandler(TileShortcutHandler(shortcut: shortcut), position: .after(state))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    /// The server builder for `Application`.
    static func builder(configuration: HTTP1Channel.Configuration, shortcut: PublicTileShortcut) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            TileShortcutHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration), shortcut: shortcut)
        }
    }
}

/// Answers remembered public tiles on the event loop, without the hop to a task, routing and the
/// middleware chain; every other request passes on untouched.
///
/// A request is answered here only when no earlier request of the connection is still being
/// answered by the router (so pipelined answers stay in order), and only once it has fully arrived.
final class TileShortcutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let shortcut: PublicTileShortcut
    /// A head that may be answered here, held until its end arrives.
    private var held: HTTPRequest?
    /// Parts of a request handed on to the router are passing.
    private var forwarding = false
    /// Requests handed on whose answers have not been written yet.
    private var inFlight = 0
    /// The peer's address, looked up once per connection (formatting it costs more than a tile answer).
    private var peer: String??

    init(shortcut: PublicTileShortcut) { self.shortcut = shortcut }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if inFlight == 0, !forwarding, shortcut.mayAnswer(head) {
                held = head
            } else {
                handOn(head, context)
            }
        case .body:
            if let head = held { held = nil; handOn(head, context) }
            context.fireChannelRead(data)
        case .end:
            if let head = held {
                held = nil
                if peer == nil { peer = .some(context.channel.remoteAddress?.ipAddress) }
                if let (response, body) = shortcut.answer(head, peer: peer ?? nil) {
                    context.write(wrapOutboundOut(.head(response)), promise: nil)
                    if let body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                    return
                }
                handOn(head, context)
            }
            forwarding = false
            context.fireChannelRead(data)
        }
    }

    private func handOn(_ head: HTTPRequest, _ context: ChannelHandlerContext) {
        forwarding = true
        inFlight += 1
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { inFlight = max(0, inFlight - 1) }
        context.write(data, promise: promise)
    }
}
