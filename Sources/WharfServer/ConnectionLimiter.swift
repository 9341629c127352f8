import NIOCore
import Synchronization

/// Closes connections beyond a maximum number open at once, so that a flood of idle sockets
/// cannot exhaust file descriptors and memory. One instance per connection, one shared count.
final class ConnectionLimiter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    final class Counter: Sendable {
        let open = Atomic<Int>(0)
        let limit: Int
        init(limit: Int) { self.limit = limit }
    }

    private let counter: Counter
    private let admitted = Atomic<Bool>(false)

    init(counter: Counter) { self.counter = counter }

    func handlerAdded(context: ChannelHandlerContext) {
        let open = counter.open.wrappingAdd(1, ordering: .relaxed).newValue
        admitted.store(true, ordering: .relaxed)
        if open > counter.limit { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    /// Counted once per connection, whichever of close or removal comes first.
    private func release() {
        if admitted.exchange(false, ordering: .relaxed) {
            counter.open.wrappingSubtract(1, ordering: .relaxed)
        }
    }
}
