/// The JSON error body: `{"__type": "...", "message": "..."}`, with a lower-case `message`
/// (docs/sqs-behaviour.md#json-errors).
struct JSONErrorBody: Encodable {
    let type: String
    let message: String

    enum CodingKeys: String, CodingKey {
        case type = "__type"
        case message
    }
}
