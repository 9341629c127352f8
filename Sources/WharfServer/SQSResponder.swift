import HTTPTypes
import Hummingbird
import NIOHTTP1

/// SQSService as a Hummingbird responder. The server does not use it (SQSChannelHandler serves
/// the sockets); Hummingbird's in-process test client calls responders, and this one lets
/// ServerRoutingTests drive the same SQSService without a socket.
struct SQSResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let service: SQSService

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let limit = service.configuration.maxBodyBytes
        let declared = request.headers[.contentLength].flatMap { Int($0) } ?? 0
        let body = declared > limit ? nil : try? await request.collectBody(upTo: limit)
        // swift-http-types keeps Host apart, as the authority; NIO's head carries it as a header.
        var headers = HTTPHeaders(request.headers.map { ($0.name.rawName, $0.value) })
        if let authority = request.head.authority { headers.add(name: "Host", value: authority) }
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue),
                                   uri: request.head.path ?? "/", headers: headers)
        let reply = await service.respond(to: head, body: body.map(RequestBody.complete) ?? .overCap,
                                          from: Peer(isLoopback: true))
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(status: .init(code: reply.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
