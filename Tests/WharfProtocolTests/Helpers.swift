import Foundation
import SQSModel
@testable import WharfProtocol

/// A JSON-protocol call as botocore sends it.
func jsonCall(_ operation: String, _ body: String) throws -> WireCall {
    try WireCodec.parse(method: "POST", target: "AmazonSQS.\(operation)", contentType: "application/x-amz-json-1.0",
                        queryString: nil, body: Array(body.utf8))
}

/// A Query-protocol POST with a form body.
func queryCall(_ body: String, queryString: String? = nil) throws -> WireCall {
    try WireCodec.parse(method: "POST", target: nil, contentType: "application/x-www-form-urlencoded; charset=utf-8",
                        queryString: queryString, body: Array(body.utf8))
}

func bodyString(_ response: EncodedResponse) -> String { String(decoding: response.body, as: UTF8.self) }

func header(_ response: EncodedResponse, _ name: String) -> String? {
    response.headers.first { $0.0.lowercased() == name.lowercased() }?.1
}

func jsonObject(_ response: EncodedResponse) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
}

import Testing
