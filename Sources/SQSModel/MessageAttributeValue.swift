import Foundation

/// A user message attribute (or a message system attribute on send): a data type and one value.
/// `BinaryValue` holds the raw bytes; the codecs carry it as base64.
public struct MessageAttributeValue: Codable, Sendable, Equatable {
    public var DataType: String
    public var StringValue: String?
    public var BinaryValue: Data?
    public var StringListValues: [String]?
    public var BinaryListValues: [Data]?

    public init(dataType: String, stringValue: String? = nil, binaryValue: Data? = nil) {
        self.DataType = dataType
        self.StringValue = stringValue
        self.BinaryValue = binaryValue
    }
}

/// Attribute maps keyed by name. Codable as a JSON object.
public typealias MessageAttributes = [String: MessageAttributeValue]
