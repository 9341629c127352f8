import Foundation

/// A message attribute: a data type and a value, sent with a message and received with it.
///
/// SQS knows three data types, `String`, `Number` and `Binary`, each of which may carry a
/// custom suffix (`Number.float`, `Binary.png`, `String.uuid`) that SQS keeps and returns as
/// it is. Numbers travel as text. A string literal is a `String` attribute.
///
/// ```swift
/// try await sqs.sendMessage("hello", to: queueURL, messageAttributes: [
///     "kind": .string("greeting"),
///     "priority": .number(3),
///     "thumbnail": .binary(Data([0x89, 0x50]), customType: "png"),
///     "tenant": "acme",
/// ])
/// let messages = try await sqs.receiveMessages(from: queueURL, messageAttributeNames: ["All"])
/// let kind = messages.first?.messageAttributes["kind"]?.stringValue   // "greeting"
/// ```
public struct MessageAttribute: Sendable, Hashable, ExpressibleByStringLiteral {
    /// `String`, `Number` or `Binary`, optionally followed by `.` and a custom type.
    public var dataType: String
    /// The value of a `String` or `Number` attribute.
    public var stringValue: String?
    /// The value of a `Binary` attribute: the bytes themselves (base64 is the wire's business).
    public var binaryValue: Data?
    /// Reserved by SQS for list values (not accepted by AWS today); kept so that nothing a
    /// server returns is lost.
    public var stringListValues: [String]?
    /// Reserved by SQS for list values, as `stringListValues`.
    public var binaryListValues: [Data]?

    public init(dataType: String, stringValue: String? = nil, binaryValue: Data? = nil,
                stringListValues: [String]? = nil, binaryListValues: [Data]? = nil) {
        self.dataType = dataType
        self.stringValue = stringValue
        self.binaryValue = binaryValue
        self.stringListValues = stringListValues
        self.binaryListValues = binaryListValues
    }

    /// A `String` attribute (or `String.<customType>`).
    public static func string(_ value: String, customType: String? = nil) -> MessageAttribute {
        MessageAttribute(dataType: typeName("String", customType), stringValue: value)
    }

    /// A `Number` attribute written as SQS reads it: `"42"`, `"-3.14"`, `"1.5E3"`.
    public static func number(_ value: String, customType: String? = nil) -> MessageAttribute {
        MessageAttribute(dataType: typeName("Number", customType), stringValue: value)
    }

    /// A `Number` attribute holding an integer.
    public static func number(_ value: some BinaryInteger, customType: String? = nil) -> MessageAttribute {
        number(String(value), customType: customType)
    }

    /// A `Binary` attribute (or `Binary.<customType>`).
    public static func binary(_ value: Data, customType: String? = nil) -> MessageAttribute {
        MessageAttribute(dataType: typeName("Binary", customType), binaryValue: value)
    }

    /// `"kind": "greeting"` in an attribute dictionary is `.string("greeting")`.
    public init(stringLiteral value: String) {
        self = .string(value)
    }

    private static func typeName(_ base: String, _ customType: String?) -> String {
        guard let customType, !customType.isEmpty else { return base }
        return "\(base).\(customType)"
    }
}
