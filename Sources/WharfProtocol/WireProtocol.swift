/// The two wire protocols SQS speaks on the same endpoint (docs/sqs-behaviour.md#wire-protocols).
public enum WireProtocol: Sendable {
    /// AWS JSON 1.0: `X-Amz-Target` + JSON body, JSON responses.
    case json
    /// AWS Query: form-encoded parameters, XML responses.
    case query
}
