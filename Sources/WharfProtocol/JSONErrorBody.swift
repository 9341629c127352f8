/// The JSON error body: `{"__type": "...", "message": "..."}` (lower-case `message`, §1.2.3).
struct JSONErrorBody: Encodable {
    let type: String
    let message: String

    enum CodingKeys: String, CodingKey {
        case type = "__type"
        case message
    }
}
