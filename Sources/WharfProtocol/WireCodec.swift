import Foundation
import SQSModel

/// Bytes ↔ SQSModel values for both wire protocols. Stateless: every call stands alone.
public enum WireCodec {
    static let targetPrefix = "AmazonSQS."

    /// Detect the protocol and operation (docs/sqs-behaviour.md#dispatch). `target` = X-Amz-Target header,
    /// `contentType` = Content-Type header, `queryString` = the raw URL query string (without
    /// '?') or nil, `body` = raw body bytes. Throws SQSError.
    public static func parse(method: String, target: String?, contentType: String?,
                             queryString: String?, body: [UInt8]) throws -> WireCall {
        if let target, !target.isEmpty {
            return try parseJSON(target: target, body: body)
        }
        return try parseQuery(method: method, contentType: contentType, queryString: queryString, body: body)
    }

    /// Which protocol an error should be answered in when parse itself failed.
    public static func guessProtocol(target: String?, contentType: String?) -> WireProtocol {
        if let target, !target.isEmpty { return .json }
        if let contentType, contentType.lowercased().contains("json") { return .json }
        return .query
    }

    private static func parseJSON(target: String, body: [UInt8]) throws(SQSError) -> WireCall {
        let name = target.hasPrefix(targetPrefix) ? String(target.dropFirst(targetPrefix.count)) : target
        guard let operation = SQSOperation(rawValue: name) else { throw SQSError.invalidAction(name) }
        // The body is kept as bytes: it is decoded once, straight into the typed request.
        return WireCall(operation: operation, wireProtocol: .json, payload: .json(body))
    }

    private static func parseQuery(method: String, contentType: String?, queryString: String?,
                                   body: [UInt8]) throws(SQSError) -> WireCall {
        var parameters = QueryNode()
        if let queryString, !queryString.isEmpty {
            try FormDecoder.decode(Array(queryString.utf8), into: &parameters)
        }
        if method.uppercased() == "POST", isFormContent(contentType), !body.isEmpty {
            // Body parameters win over query-string ones.
            try FormDecoder.decode(body, into: &parameters)
        }
        guard let action = parameters.children["Action"]?.value, !action.isEmpty else {
            throw SQSError(code: .missingAction, message: "The request must contain the parameter Action.",
                           modeled: false)
        }
        guard let operation = SQSOperation(rawValue: action) else { throw SQSError.invalidAction(action) }
        return WireCall(operation: operation, wireProtocol: .query, payload: .query(parameters))
    }

    /// A form body, or a body with no declared type (some hand-written clients omit it).
    private static func isFormContent(_ contentType: String?) -> Bool {
        guard let contentType else { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let trimmed = mediaType.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty || trimmed == "application/x-www-form-urlencoded"
    }
}
