/// The two wire protocols SQS speaks on the same endpoint (sqs-api.md §1).
public enum WireProtocol: Sendable {
    /// AWS JSON 1.0: `X-Amz-Target` + JSON body, JSON responses.
    case json
    /// AWS Query: form-encoded parameters, XML responses.
    case query
}
