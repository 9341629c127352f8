import Foundation
import SQSModel

/// Decodes a JSON request body straight into the typed request and turns every
/// `DecodingError` into the SQSError the JSON protocol answers with (docs/sqs-behaviour.md#json-protocol).
enum JSONRequestDecoder {
    /// Shared: a decoder with fixed options is safe to use from many requests at once.
    static let sharedDecoder = JSONDecoder()

    static func decode<R: SQSRequest>(_ type: R.Type, from body: [UInt8]) throws(SQSError) -> R {
        if let request = JSONFastRequests.decode(type, from: body) { return request }
        // SDKs send `{}` for parameterless operations, but an empty body means the same thing.
        let data = body.isEmpty ? Data("{}".utf8) : Data(body)
        do {
            return try sharedDecoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw map(error)
        } catch {
            throw SQSError.serialization("The request body could not be parsed: \(error)")
        }
    }

    static func map(_ error: DecodingError) -> SQSError {
        switch error {
        case .keyNotFound(let key, _):
            // The missing member's own name, whether top-level or inside a batch entry.
            return .missingParameter(key.stringValue)
        case .valueNotFound(let type, let context):
            // `null` for a required member reads as "missing" at the places a member can be
            // required (top level, batch entry); elsewhere a null is just a malformed value.
            let path = context.codingPath
            if let last = path.last, last.intValue == nil,
               path.count == 1 || (path.count == 3 && path[0].stringValue == "Entries") {
                return .missingParameter(last.stringValue)
            }
            return .serialization("Expected a value of type \(describe(type)) at \(render(path)) but found null.")
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return .serialization("The request body must be a JSON object.")
            }
            return .serialization("Expected a value of type \(describe(type)) at \(render(context.codingPath)).")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .serialization("The request body is not valid JSON.")
            }
            return .serialization("Invalid value at \(render(context.codingPath)): \(context.debugDescription)")
        @unknown default:
            return .serialization("The request body could not be parsed.")
        }
    }

    /// `Entries[0].DelaySeconds`-style path, for messages a user can act on.
    static func render(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == "\(index)" {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out.isEmpty ? "the top level" : out
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "string"
        case is Int.Type, is Int64.Type: return "integer"
        case is Bool.Type: return "boolean"
        case is Data.Type: return "base64 string"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "array" }
            if name.hasPrefix("Dictionary") || name.hasPrefix("KeyedDecodingContainer") { return "object" }
            return name
        }
    }
}
