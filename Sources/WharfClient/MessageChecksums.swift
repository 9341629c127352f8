import SQSDigest
import SQSModel

/// Verification of the MD5s SQS returns for bodies and attributes (docs/sqs-behaviour.md#md5-digests), with the
/// same `MessageDigest` the server computes them with.
enum MessageChecksums {
    static func verify<Request: SQSRequest, Response: SQSResponse>(_ request: Request, _ response: Response) throws(SQSClientError) {
        if let request = request as? SendMessageRequest, let response = response as? SendMessageResponse {
            try check(body: request.MessageBody, attributes: request.MessageAttributes, id: response.MessageId,
                      bodyField: "MD5OfMessageBody", bodyDigest: response.MD5OfMessageBody,
                      attributesDigest: response.MD5OfMessageAttributes)
        } else if let request = request as? SendMessageBatchRequest, let response = response as? SendMessageBatchResponse {
            var sent: [String: SendMessageBatchRequestEntry] = [:]
            for entry in request.Entries ?? [] { sent[entry.Id] = entry }
            for result in response.Successful {
                guard let entry = sent[result.Id] else {
                    throw .invalidResponse("SendMessageBatch result for unknown entry \(result.Id)")
                }
                try check(body: entry.MessageBody, attributes: entry.MessageAttributes, id: result.Id,
                          bodyField: "MD5OfMessageBody", bodyDigest: result.MD5OfMessageBody,
                          attributesDigest: result.MD5OfMessageAttributes)
            }
        } else if let response = response as? ReceiveMessageResponse {
            for message in response.Messages ?? [] {
                try check(body: message.Body, attributes: message.MessageAttributes, id: message.MessageId,
                          bodyField: "MD5OfBody", bodyDigest: message.MD5OfBody,
                          attributesDigest: message.MD5OfMessageAttributes)
            }
        }
    }

    static func check(body: String, attributes: MessageAttributes?, id: String, bodyField: String,
                      bodyDigest: String, attributesDigest: String?) throws(SQSClientError) {
        let expectedBody = MessageDigest.md5(ofBody: body)
        if expectedBody != bodyDigest.lowercased() {
            throw .checksumMismatch(ChecksumMismatch(field: bodyField, id: id, expected: expectedBody, received: bodyDigest))
        }
        if let attributes, let expected = MessageDigest.md5(ofAttributes: attributes), expected != attributesDigest?.lowercased() {
            throw .checksumMismatch(ChecksumMismatch(field: "MD5OfMessageAttributes", id: id,
                                                     expected: expected, received: attributesDigest))
        }
    }
}
