import Foundation
import WharfClient
import WharfExpression

/// Builds the message object of docs/consumer.md#message-object.
enum MessageObject {
    /// What the object shows: the selected attributes, and the SNS payload instead of its envelope.
    struct Options: Sendable {
        var systemAttributeNames: [String] = ["All"]
        var messageAttributeNames: [String] = ["All"]
        var unwrapSNS = false

        func showsAttribute(_ name: String) -> Bool { Self.selects(systemAttributeNames, name) }
        func showsMessageAttribute(_ name: String) -> Bool { Self.selects(messageAttributeNames, name) }

        /// SQS's selection rules: `All` (or `.*`), exact names, and `prefix.*`; empty is `All`.
        static func selects(_ names: [String], _ name: String) -> Bool {
            if names.isEmpty { return true }
            return names.contains { selector in
                if selector == "All" || selector == ".*" { return true }
                if selector.hasSuffix(".*") { return name.hasPrefix(selector.dropLast(1)) }
                return selector == name
            }
        }
    }

    static func make(_ message: SQSMessage, queueURL: String, queueARN: String?, region: String?,
                     options: Options = Options()) -> FEELValue {
        var object = FEELContext()
        object["messageId"] = .string(message.id)
        object["receiptHandle"] = .string(message.receiptHandle)
        object["md5OfBody"] = .string(message.md5OfBody)
        object["md5OfMessageAttributes"] = message.md5OfMessageAttributes.map(FEELValue.string) ?? .null
        var body = message.body
        var sourceAttributes = message.messageAttributes
        if options.unwrapSNS, let envelope = SNSEnvelope(body: message.body) {
            body = envelope.message
            sourceAttributes.merge(envelope.attributes) { _, fromSNS in fromSNS }
            object["sns"] = envelope.object
        }
        object["body"] = parseBody(body)
        object["rawBody"] = .string(body)
        let attributes = message.attributes.filter { options.showsAttribute($0.key.rawValue) }
        object["attributes"] = .context(FEELContext(attributes.keys.map(\.rawValue).sorted().map { name in
            (name, .string(attributes[MessageSystemAttributeName(rawValue: name)]!))
        }))
        var messageAttributes = FEELContext()
        for (name, value) in sourceAttributes.sorted(by: { $0.key < $1.key }) where options.showsMessageAttribute(name) {
            var entry = FEELContext()
            if let string = value.stringValue { entry["stringValue"] = .string(string) }
            if let binary = value.binaryValue { entry["binaryValue"] = .string(binary.base64EncodedString()) }
            entry["stringListValues"] = .list((value.stringListValues ?? []).map(FEELValue.string))
            entry["binaryListValues"] = .list((value.binaryListValues ?? []).map { .string($0.base64EncodedString()) })
            entry["dataType"] = .string(value.dataType)
            messageAttributes[name] = .context(entry)
        }
        object["messageAttributes"] = .context(messageAttributes)
        object["queueUrl"] = .string(queueURL)
        object["eventSource"] = .string("aws:sqs")
        object["eventSourceARN"] = queueARN.map(FEELValue.string) ?? .null
        object["awsRegion"] = region.map(FEELValue.string) ?? .null
        return .context(object)
    }

    /// JSON when the body parses as JSON, else the string.
    static func parseBody(_ body: String) -> FEELValue {
        (try? FEELValue(jsonString: body)) ?? .string(body)
    }

    /// The region field of an ARN (`arn:aws:sqs:<region>:<account>:<name>`).
    static func region(ofARN arn: String?) -> String? {
        guard let arn else { return nil }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 3 && !parts[3].isEmpty ? String(parts[3]) : nil
    }

    /// The scope expressions evaluate in: the object's fields, and the object as `response`.
    static func scope(_ object: FEELValue) -> FEELValue {
        guard case .context(var context) = object else { return object }
        context["response"] = object
        return .context(context)
    }
}
