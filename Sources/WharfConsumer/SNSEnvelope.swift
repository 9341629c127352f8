import Foundation
import WharfClient
import WharfExpression

/// An SNS notification as SNS puts it on an SQS queue when raw message delivery is off:
/// `{"Type": "Notification", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
/// "MessageAttributes": {"name": {"Type": "String", "Value": "…"}}, …}`. Consumers of a
/// fan-out queue want the `Message`, not the envelope.
struct SNSEnvelope: Sendable {
    var message: String
    var attributes: [String: MessageAttribute]
    /// The envelope's own fields, for the message object's `sns`.
    var object: FEELValue

    private struct Document: Decodable {
        var `Type`: String
        var MessageId: String?
        var TopicArn: String
        var Subject: String?
        var Message: String
        var Timestamp: String?
        var MessageAttributes: [String: Attribute]?
    }

    private struct Attribute: Decodable {
        var `Type`: String
        var Value: String
    }

    /// nil unless `body` is an SNS notification.
    init?(body: String) {
        guard body.hasPrefix("{"), body.contains("\"TopicArn\""),
              let document = try? JSONDecoder().decode(Document.self, from: Data(body.utf8)),
              document.Type == "Notification" else { return nil }
        message = document.Message
        var attributes: [String: MessageAttribute] = [:]
        for (name, attribute) in document.MessageAttributes ?? [:] {
            // Binary values arrive base64-encoded; the others (String, Number, String.Array) as text.
            if attribute.Type.hasPrefix("Binary") {
                attributes[name] = MessageAttribute(dataType: attribute.Type, binaryValue: Data(base64Encoded: attribute.Value))
            } else {
                attributes[name] = MessageAttribute(dataType: attribute.Type, stringValue: attribute.Value)
            }
        }
        self.attributes = attributes
        var object = FEELContext()
        object["topicArn"] = .string(document.TopicArn)
        object["messageId"] = document.MessageId.map(FEELValue.string) ?? .null
        object["subject"] = document.Subject.map(FEELValue.string) ?? .null
        object["timestamp"] = document.Timestamp.map(FEELValue.string) ?? .null
        self.object = .context(object)
    }
}
