import Crypto
import SQSModel

/// The MD5s SQS returns for bodies and attributes (sqs-api.md §5), and their verification.
/// (The server computes the same in WharfEngine's `MessageDigest`; the client keeps its own
/// copy so apps do not link the engine.)
public enum MessageChecksums {
    /// `MD5OfMessageBody` / `MD5OfBody`: hex MD5 of the body's UTF-8 bytes.
    public static func md5(ofBody body: String) -> String {
        hex(Insecure.MD5.hash(data: Array(body.utf8)))
    }

    /// `MD5OfMessageAttributes`: names sorted byte-wise; each as length-prefixed name and data
    /// type, a transport byte (1 string, 2 binary, 3 string list, 4 binary list) and the
    /// length-prefixed value(s). nil for no attributes, when SQS returns no digest either.
    public static func md5(ofAttributes attributes: MessageAttributes) -> String? {
        if attributes.isEmpty { return nil }
        var md5 = Insecure.MD5()
        func field(_ bytes: [UInt8]) {
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { md5.update(bufferPointer: $0) }
            md5.update(data: bytes)
        }
        for name in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let value = attributes[name]!
            field(Array(name.utf8))
            field(Array(value.DataType.utf8))
            if let string = value.StringValue {
                md5.update(data: [1]); field(Array(string.utf8))
            } else if let binary = value.BinaryValue {
                md5.update(data: [2]); field(Array(binary))
            } else if let list = value.StringListValues, !list.isEmpty {
                md5.update(data: [3]); list.forEach { field(Array($0.utf8)) }
            } else if let list = value.BinaryListValues, !list.isEmpty {
                md5.update(data: [4]); list.forEach { field(Array($0)) }
            }
        }
        return hex(md5.finalize())
    }

    /// Checks the digests of SendMessage, SendMessageBatch and ReceiveMessage responses, as the
    /// Java SDK does: body always, attributes when there are any.
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
        let expectedBody = md5(ofBody: body)
        if expectedBody != bodyDigest.lowercased() {
            throw .checksumMismatch(ChecksumMismatch(field: bodyField, id: id, expected: expectedBody, received: bodyDigest))
        }
        if let attributes, let expected = md5(ofAttributes: attributes), expected != attributesDigest?.lowercased() {
            throw .checksumMismatch(ChecksumMismatch(field: "MD5OfMessageAttributes", id: id,
                                                     expected: expected, received: attributesDigest))
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest { out += [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
