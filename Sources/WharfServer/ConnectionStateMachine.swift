import NIOCore
import NIOHTTP1
import WharfProtocol

/// One HTTP/1.1 connection's life, as a value: `SQSChannelHandler` feeds it every event the
/// pipeline delivers and performs the action it returns (the pattern of NIO's and
/// postgres-nio's handlers). It owns the body being collected and decides when a request is
/// dispatched, when a 413 goes out, and when the connection closes; it does no I/O.
///
/// The life of a connection:
///
/// ```
/// idle ──head──▶ readingBody ──end: dispatch──▶ responding ──reply ready──▶ idle (keep-alive)
///  │                  │ passes the cap             ▲    │                  │
///  │                  ▼                            │    │                  └─▶ closing ──reply written──▶ closed
///  │              draining ──end: 413──────────────┘    │                      (Connection: close, HTTP/1.0,
///  │                                                    │                       half-closed, quiescing)
///  └──head declared over the cap: 413 now───────────────┘──reply ready before the body's end──▶ discardingBody ──end──▶ idle
/// ```
///
/// - A body is collected up to the cap. A declared `Content-Length` over it is answered with 413
///   before a byte is read (the rest of the body is then read and dropped); a chunked body that
///   grows past it is drained and answered with 413 at its end.
/// - A client that half-closes (input closed) or a server that quiesces while a request is in
///   progress still gets its reply; the connection closes once that reply is written. An idle
///   connection closes at once.
/// - The idle timeout closes a connection unless a reply is being computed (a long poll).
///
/// NIO's pipelining handler in front holds the next request back until a reply's end is
/// written, so at most one request is in progress; writing that end may deliver the next request
/// at once (re-entrantly), which is why a reply's action is decided, and the state moved on,
/// before the handler writes it.
struct ConnectionStateMachine {
    enum State {
        /// Waiting for a request's head: a new connection, or a kept-alive one between requests.
        case idle
        /// Collecting the body of `head` (in `body`).
        case readingBody(HTTPRequestHead, closeAfter: Bool)
        /// The body passed the cap: the rest is read and dropped, then 413.
        case draining(HTTPRequestHead, closeAfter: Bool)
        /// A reply is being computed. `bodyPending`: it is the early 413 of a body declared over
        /// the cap, whose parts are still arriving (and dropped).
        case responding(closeAfter: Bool, bodyPending: Bool)
        /// The early 413 is written; its request's body is still arriving and is dropped.
        case discardingBody
        /// The last reply is being written; the connection closes when it is.
        case closing
        case closed
    }

    enum Action {
        /// Nothing to do: a body part was buffered or dropped, or the event changes nothing.
        case ignore
        /// The request is complete: run it.
        case dispatch(HTTPRequestHead, body: ByteBuffer)
        /// Answer 413 for `head`: now, before its body is read, or after a body that grew past the cap.
        case answerTooLarge(HTTPRequestHead)
        /// Write the reply; with `closeAfter`, report `replyWritten` when it is, and close then.
        case writeReply(EncodedResponse, closeAfter: Bool)
        /// Close the connection now.
        case close
    }

    let maxBodyBytes: Int
    private(set) var state = State.idle
    /// The body of the request being read. Kept from one request to the next, so a kept-alive
    /// connection reuses its capacity: by the next head the copy that was dispatched has normally
    /// been released (the pipelining handler holds that head back until the reply is written);
    /// if not, `clear` starts a new buffer.
    private var body = ByteBuffer()

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    mutating func receivedHead(_ head: HTTPRequestHead) -> Action {
        switch state {
        case .idle:
            // HTTP/1.0 without keep-alive, or `Connection: close`.
            let closeAfter = !head.isKeepAlive
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            if declared > maxBodyBytes {
                state = .responding(closeAfter: closeAfter, bodyPending: true)
                return .answerTooLarge(head)
            }
            body.clear()
            state = .readingBody(head, closeAfter: closeAfter)
            return .ignore
        case .closing, .closed:
            return .ignore
        case .readingBody, .draining, .responding, .discardingBody:
            // The HTTP parser ends a request before the next head, and the pipelining handler
            // holds the next request back until the reply is written: this is no HTTP/1.1.
            state = .closed
            return .close
        }
    }

    mutating func receivedBodyPart(_ part: ByteBuffer) -> Action {
        switch state {
        case .readingBody(let head, let closeAfter):
            if body.readableBytes + part.readableBytes > maxBodyBytes {
                body.clear()
                state = .draining(head, closeAfter: closeAfter)
                return .ignore
            }
            var part = part
            body.writeBuffer(&part)
            return .ignore
        case .idle, .draining, .responding, .discardingBody, .closing, .closed:
            return .ignore
        }
    }

    mutating func receivedEnd() -> Action {
        switch state {
        case .readingBody(let head, let closeAfter):
            state = .responding(closeAfter: closeAfter, bodyPending: false)
            return .dispatch(head, body: body)
        case .draining(let head, let closeAfter):
            state = .responding(closeAfter: closeAfter, bodyPending: false)
            return .answerTooLarge(head)
        case .responding(let closeAfter, bodyPending: true):
            state = .responding(closeAfter: closeAfter, bodyPending: false)
            return .ignore
        case .discardingBody:
            state = .idle
            return .ignore
        case .idle, .responding, .closing, .closed:
            return .ignore
        }
    }

    /// The reply of the request in progress is computed.
    mutating func replyReady(_ reply: EncodedResponse) -> Action {
        switch state {
        case .responding(let closeAfter, let bodyPending):
            if closeAfter {
                state = .closing
            } else {
                state = bodyPending ? .discardingBody : .idle
            }
            return .writeReply(reply, closeAfter: closeAfter)
        case .closed:
            // The connection went away while the reply was computed.
            return .ignore
        case .idle, .readingBody, .draining, .discardingBody, .closing:
            return .ignore
        }
    }

    /// The reply written with `closeAfter` is out (or its write failed).
    mutating func replyWritten() -> Action {
        guard case .closing = state else { return .ignore }
        state = .closed
        return .close
    }

    /// The client closed its side (Hummingbird's server allows half-closed connections).
    mutating func inputClosed() -> Action { closeWhenDone() }

    /// The server is shutting down. (NIO's pipelining handler usually consumes this event and
    /// closes after the reply in progress itself; handled here all the same.)
    mutating func quiesce() -> Action { closeWhenDone() }

    /// Nothing was read or written for the idle timeout.
    mutating func idleTimeout() -> Action {
        switch state {
        case .responding:
            // A reply still being computed (a long poll) keeps the connection.
            return .ignore
        case .idle, .readingBody, .draining, .discardingBody, .closing:
            state = .closed
            return .close
        case .closed:
            return .ignore
        }
    }

    /// An error reached the handler (parse errors were answered by NIO's error handler).
    mutating func errorCaught() -> Action {
        if case .closed = state { return .ignore }
        state = .closed
        return .close
    }

    /// The channel is closed, whoever closed it.
    mutating func channelInactive() {
        state = .closed
    }

    /// No more requests will come: close now if none is in progress, else once it is answered.
    private mutating func closeWhenDone() -> Action {
        switch state {
        case .idle, .discardingBody:
            state = .closed
            return .close
        case .readingBody(let head, _):
            state = .readingBody(head, closeAfter: true)
            return .ignore
        case .draining(let head, _):
            state = .draining(head, closeAfter: true)
            return .ignore
        case .responding(_, let bodyPending):
            state = .responding(closeAfter: true, bodyPending: bodyPending)
            return .ignore
        case .closing, .closed:
            return .ignore
        }
    }
}
