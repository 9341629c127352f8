import Foundation
import HTTPTypes
import Hummingbird
import SigV4
import SQSModel
import WharfEngine
import WharfProtocol

/// The one HTTP entry point: SQS does not route on paths (sqs-api.md §1.1), so every request
/// but the health check goes through protocol detection, then the dispatcher.
struct SQSResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let dispatcher: OperationDispatcher
    let configuration: ServerConfiguration
    let authenticator: Authenticator
    /// Request ids (x-amzn-RequestId), generated without a system call per request.
    let identifiers = IdentifierGenerator()

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/health" { return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n"))) }

        let requestId = identifiers.uuid()
        let target = request.headers[Self.amzTarget]
        let contentType = request.headers[.contentType]
        let fallback = WireCodec.guessProtocol(target: target, contentType: contentType)
        let method = request.method.rawValue
        let query = request.uri.query
        // `/<account>/<queue>`: the queue may come from the path instead of a QueueUrl.
        let segments = path.split(separator: "/")
        let pathQueue = segments.count == 2 ? (account: String(segments[0]), name: String(segments[1])) : nil

        var request = request
        let body: ByteBuffer
        do {
            // A declared length over the cap is refused before a byte of the body is read.
            if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
                throw HTTPError(.contentTooLarge)
            }
            body = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch {
            return Self.response(WireCodec.encode(
                error: SQSError(shape: "RequestEntityTooLarge", httpStatus: 413,
                                message: "Request body must be at most \(configuration.maxBodyBytes) bytes.",
                                modeled: false),
                in: fallback, requestId: requestId))
        }

        let bodyBytes = Array(body.readableBytesView)
        // Authenticate before parsing: an unsigned caller learns nothing about the request.
        let host = request.head.authority ?? "\(configuration.host):\(configuration.port)"
        // Signatures cover the raw path, query, headers (Host included) and body bytes.
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        headers.append((name: "host", value: host))
        let signable = SignableRequest(method: method, path: path, query: query, headers: headers,
                                       body: bodyBytes)
        let now = dispatcher.engine.clock.nowMillis() / 1000
        let caller: Authenticator.Caller
        switch Result(catching: { () throws(SQSError) in try authenticator.authenticate(signable, nowSeconds: now) }) {
        case .success(let authenticated): caller = authenticated
        case .failure(let error):
            return Self.response(WireCodec.encode(error: error, in: fallback, requestId: requestId))
        }

        let call: WireCall
        do {
            call = try WireCodec.parse(method: method, target: target, contentType: contentType,
                                       queryString: query, body: bodyBytes)
        } catch let error as SQSError {
            var error = error
            if error.shape == "MissingAction", pathQueue != nil {
                // What real SQS answers a bare GET of a queue URL.
                error = SQSError(shape: "UnknownOperationException", httpStatus: 404,
                                 message: "An unknown operation was requested.", modeled: false)
            }
            return Self.response(WireCodec.encode(error: error, in: fallback, requestId: requestId))
        }
        if pathQueue != nil, !call.operation.isQueueScoped {
            return Self.response(WireCodec.encode(error: .invalidAction(call.operation.rawValue),
                                                  in: call.wireProtocol, requestId: requestId))
        }

        var ctx = CallContext(
            accountId: caller.accountId,
            region: caller.region ?? configuration.defaultRegion,
            endpoint: configuration.publicURL ?? "\(configuration.usesTLS ? "https" : "http")://\(host)",
            senderId: caller.accessKeyId ?? caller.accountId,
            traceHeader: request.headers[Self.traceId],
            pathQueue: pathQueue)
        ctx.secureTransport = configuration.usesTLS
        return Self.response(await dispatcher.dispatch(call, ctx, requestId: requestId))
    }

    static let amzTarget = HTTPField.Name("X-Amz-Target")!
    static let traceId = HTTPField.Name("X-Amzn-Trace-Id")!

    static func response(_ encoded: EncodedResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in encoded.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: encoded.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: encoded.body)))
    }
}
