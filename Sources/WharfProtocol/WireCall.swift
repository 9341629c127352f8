import SQSModel

/// A request whose operation and protocol are known but whose input is not yet typed.
///
/// Decoding is deferred so the server can pick the typed request from `operation`
/// (and, e.g., verify signatures over the raw body) before paying for it.
public struct WireCall: Sendable {
    public let operation: SQSOperation
    public let wireProtocol: WireProtocol
    let payload: Payload

    /// What is left to decode: the untouched JSON body, or the merged Query parameters.
    enum Payload: Sendable {
        case json([UInt8])
        case query(QueryNode)
    }

    init(operation: SQSOperation, wireProtocol: WireProtocol, payload: Payload) {
        self.operation = operation
        self.wireProtocol = wireProtocol
        self.payload = payload
    }

    /// Decode the operation's typed input. Throws SQSError (never anything else).
    public func decode<R: SQSRequest>(_ type: R.Type) throws -> R {
        switch payload {
        case .json(let body):
            return try JSONRequestDecoder.decode(type, from: body)
        case .query(let parameters):
            return try QueryRequestDecoder.decode(type, from: parameters)
        }
    }
}
