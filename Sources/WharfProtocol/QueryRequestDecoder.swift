import SQSModel

/// Decodes the Query parameters (the `QueryNode` tree `FormDecoder` built) into the typed
/// request: the tree is checked against the operation's `QueryShape`, then the request's
/// Codable init reads it through `QueryDecoder`. Missing members are reported as in the JSON
/// protocol (`JSONRequestDecoder.map`), by their JSON member names.
enum QueryRequestDecoder {
    static func decode<R: SQSRequest>(_ type: R.Type, from parameters: QueryNode) throws(SQSError) -> R {
        let shape = QueryShape.structure(QueryShape.request(for: R.operation))
        var root = parameters
        try root.check(as: shape, path: "")
        do {
            return try R(from: QueryDecoder(node: root, shape: shape, codingPath: []))
        } catch let error as DecodingError {
            throw JSONRequestDecoder.map(error)
        } catch let error as SQSError {
            throw error
        } catch {
            throw SQSError.serialization("The request parameters could not be decoded: \(error)")
        }
    }
}
