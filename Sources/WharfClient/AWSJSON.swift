import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SQSModel

/// AWS JSON 1.0 as SQS speaks it (docs/sqs-behaviour.md#json-protocol): request bodies are the model structs as
/// JSON, responses the output structs, errors `__type` + `message` + `x-amzn-query-error`.
enum AWSJSON {
    static let contentType = "application/x-amz-json-1.0"

    static func encode<Request: SQSRequest>(_ request: Request) throws(SQSClientError) -> [UInt8] {
        let encoder = JSONEncoder()
        // Queue URLs are in most bodies; "\/" is valid JSON but needlessly unlike other SDKs.
        // Sorted keys make the bytes (and so the signature) the same on every run.
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        do {
            return Array(try encoder.encode(request))
        } catch {
            throw .invalidRequest(.serialization("cannot encode \(Request.operation.rawValue): \(error)"))
        }
    }

    static func decode<Response: Decodable>(_ type: Response.Type, from body: [UInt8]) throws(SQSClientError) -> Response {
        // Operations without output answer `{}` or, from some servers, nothing at all.
        let data = body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) ? Data("{}".utf8) : Data(body)
        do {
            return try JSONDecoder().decode(Response.self, from: data)
        } catch DecodingError.keyNotFound(let key, let context) where context.codingPath.isEmpty
                    && ["Successful", "queueUrls"].contains(key.stringValue) {
            // The model marks these lists required, but servers that omit empty lists exist.
            if var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
                object[key.stringValue] = [Any]()
                if let patched = try? JSONSerialization.data(withJSONObject: object),
                   let value = try? JSONDecoder().decode(Response.self, from: patched) {
                    return value
                }
            }
            throw .invalidResponse("missing \(key.stringValue) in \(Response.self)")
        } catch {
            throw .invalidResponse("cannot decode \(Response.self): \(error)")
        }
    }

    /// An error response as botocore reads it: the shape is `__type` after `#` and before `:`,
    /// and `x-amzn-query-error: <code>;<Sender|Receiver>` supplies the code users see.
    static func error(status: Int, headers: HTTPHeaders, body: [UInt8]) -> SQSClientError {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        let rawType = (object?["__type"] as? String) ?? (object?["code"] as? String)
            ?? headers.first(name: "x-amzn-ErrorType")
        var namespace: Substring = ""
        var shape: Substring?
        if let rawType {
            var name = Substring(rawType)
            if let hash = name.firstIndex(of: "#") {
                namespace = name[..<hash]
                name = name[name.index(after: hash)...]
            }
            shape = name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first
        }
        let message = (object?["message"] as? String) ?? (object?["Message"] as? String)
            ?? (object == nil ? String(decoding: body.prefix(512), as: UTF8.self) : "")
        var queryCode: String?
        var senderFault = status < 500
        if let header = headers.first(name: "x-amzn-query-error") {
            let parts = header.split(separator: ";", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty {
                queryCode = String(parts[0])
                senderFault = parts[1] == "Sender"
            }
        }
        let fallback = status == 429 ? "ThrottlingException" : (status >= 500 ? "InternalFailure" : "UnknownError")
        let shapeName = shape.map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? queryCode ?? fallback
        let sqsError = SQSError(shape: shapeName, queryCode: queryCode, httpStatus: status, message: message,
                                senderFault: senderFault, modeled: namespace == "com.amazonaws.sqs")
        return .service(sqsError, requestId: headers.first(name: "x-amzn-RequestId"))
    }
}
