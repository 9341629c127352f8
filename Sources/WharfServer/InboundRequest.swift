import NIOHTTP1
import WharfProtocol

/// What SQSService's steps read off a request's head, read once: the raw path and query (as
/// SigV4 signs them), the headers that pick the protocol and operation, the queue a
/// `/<account>/<queue>` path names, and the Host that queue URLs and signatures use.
struct InboundRequest {
    let head: HTTPRequestHead
    let path: String
    let query: String?
    /// `X-Amz-Target`.
    let target: String?
    let contentType: String?
    /// The protocol an error is answered in before the request is parsed (docs/sqs-behaviour.md#dispatch).
    let guessedProtocol: WireProtocol
    /// `/<account>/<queue>`: the queue may come from the path instead of a QueueUrl.
    let pathQueue: (account: String, name: String)?
    /// The Host header, or the server's own address when the request has none.
    let host: String
    let hasHostHeader: Bool

    init(head: HTTPRequestHead, path: String, query: String?, defaultHost: String) {
        self.head = head
        self.path = path
        self.query = query
        target = head.headers.first(name: "x-amz-target")
        contentType = head.headers.first(name: "content-type")
        guessedProtocol = WireCodec.guessProtocol(target: target, contentType: contentType)
        let segments = path.split(separator: "/")
        pathQueue = segments.count == 2 ? (account: String(segments[0]), name: String(segments[1])) : nil
        let hostHeader = head.headers.first(name: "host")
        host = hostHeader ?? defaultHost
        hasHostHeader = hostHeader != nil
    }

    var method: String { head.method.rawValue }
}
