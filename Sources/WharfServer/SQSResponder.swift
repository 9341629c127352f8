import Hummingbird

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
        let reply = await service.respond(to: request.head, body: body)
        return Response(status: reply.head.status, headers: reply.head.headerFields,
                        body: ResponseBody(byteBuffer: reply.body))
    }
}
