import Foundation

/// Validation of message bodies, attributes and identifiers (docs/sqs-behaviour.md#message-body,
/// #message-attributes, #fifo-identifiers), for the server's checks and the client's
/// pre-checks alike: both answer a message with the same SQSError.
package enum MessageRules {
    /// A message's body is there (`MissingParameter` if not).
    package static func validateBody(_ body: String) throws(SQSError) {
        if body.isEmpty { throw .missingParameter("MessageBody") }
    }

    /// The checks of a message (a SendMessage, or one entry of a SendMessageBatch) that depend on
    /// nothing but the message and the queue's `MaximumMessageSize`, in the order SQS makes them:
    /// its delay, its body's characters, its attributes, its size. Returns the size
    /// (`MessageSize`). `inBatch` selects the batch entry's wording of the size error.
    @discardableResult
    package static func validateMessage(body: String, delaySeconds: Int?, attributes: MessageAttributes?,
                                        maximumSize: Int, inBatch: Bool) throws(SQSError) -> Int {
        if let delay = delaySeconds, !SQSLimits.delaySeconds.contains(delay) {
            throw .invalidParameterValue(value: String(delay), parameter: "DelaySeconds",
                                         reason: "DelaySeconds must be >= 0 and <= 900.")
        }
        guard hasOnlyValidCharacters(body) else { throw .invalidMessageContents() }
        try validateAttributes(attributes ?? [:])
        let size = MessageSize.of(body: body, attributes: attributes)
        if size > maximumSize {
            let lead = inBatch ? "One or more parameters cannot be validated." : "One or more parameters are invalid."
            throw .invalidParameterValue("\(lead) Reason: Message must be shorter than \(maximumSize) bytes.")
        }
        return size
    }

    /// XML 1.0 `Char`: what SQS accepts in bodies and string attribute values.
    package static func hasOnlyValidCharacters(_ text: String) -> Bool {
        // Most bodies are plain ASCII: a byte check settles them; others are decoded as scalars.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 >= 0x20 && $0 < 0x80 || $0 == 0x9 || $0 == 0xA || $0 == 0xD }
        }
        if ascii == true { return true }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: continue
            default: return false
            }
        }
        return true
    }

    /// At most ten attributes, each with a valid name, type and value.
    package static func validateAttributes(_ attributes: MessageAttributes) throws(SQSError) {
        if attributes.count > SQSLimits.maximumMessageAttributes {
            throw .invalidParameterValue(
                "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [\(SQSLimits.maximumMessageAttributes)].")
        }
        for name in attributes.keys.sorted() {
            try validateAttributeName(name)
            try validateAttributeValue(name: name, attributes[name]!)
        }
    }

    package static func validateAttributeName(_ name: String) throws(SQSError) {
        let invalid = SQSError.invalidParameterValue(
            "Message (user) attribute name '\(name)' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters. It must not start or end with a period, contain consecutive periods, or start with AWS. or Amazon.")
        guard !name.isEmpty, name.utf8.count <= SQSLimits.maximumAttributeNameLength else { throw invalid }
        for scalar in name.unicodeScalars {
            switch scalar.value {
            // Latin-1 / Latin Extended-A letters are accepted by real SQS (docs/sqs-behaviour.md#message-attributes).
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2D, 0x2E, 0xC0...0x17F: continue
            default: throw invalid
            }
        }
        let lower = name.lowercased()
        if name.hasPrefix(".") || name.hasSuffix(".") || name.contains("..")
            || lower.hasPrefix("aws.") || lower.hasPrefix("amazon.") {
            throw invalid
        }
    }

    package static func validateAttributeValue(name: String, _ value: MessageAttributeValue) throws(SQSError) {
        let type = value.DataType
        let base: String
        if let dot = type.firstIndex(of: ".") {
            base = String(type[..<dot])
            let label = type[type.index(after: dot)...]
            guard !label.isEmpty, hasOnlyValidCharacters(String(label)) else { throw invalidType(name) }
        } else {
            base = type
        }
        guard type.utf8.count <= SQSLimits.maximumDataTypeLength, ["String", "Number", "Binary"].contains(base) else {
            throw invalidType(name)
        }
        switch base {
        case "Binary":
            guard let binary = value.BinaryValue, !binary.isEmpty else {
                throw .invalidParameterValue("Message (user) attribute '\(name)' must contain a non-empty value of type 'Binary'.")
            }
        default:
            guard let string = value.StringValue, !string.isEmpty else {
                throw .invalidParameterValue("Message (user) attribute '\(name)' must contain a non-empty value of type '\(base)'.")
            }
            guard hasOnlyValidCharacters(string) else {
                throw .invalidParameterValue("Message (user) attribute '\(name)' contains invalid characters. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
            }
            if base == "Number", !isNumber(string) {
                throw .invalidParameterValue("Can't cast the value of message (user) attribute '\(name)' to a number.")
            }
        }
    }

    private static func invalidType(_ name: String) -> SQSError {
        .invalidParameterValue("The type of message (user) attribute '\(name)' is invalid. You must use only the following supported type prefixes: Binary, Number, String.")
    }

    /// A decimal number with at most 38 significant digits (leading/trailing zeroes don't count)
    /// and a magnitude from 10^-128 to 10^126 (docs/sqs-behaviour.md#message-attributes).
    package static func isNumber(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: /[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?/) else { return false }
        let mantissa = match.output.1
        let digits = mantissa.filter(\.isNumber)
        let significant = digits.drop(while: { $0 == "0" }).reversed().drop(while: { $0 == "0" })
        guard significant.count <= 38 else { return false }
        if significant.isEmpty { return true }
        // The decimal order of the first significant digit, e.g. 120 → 2, 0.05 → -2.
        let integer = mantissa.prefix { $0 != "." }.drop { $0 == "0" }
        let fraction = mantissa.drop { $0 != "." }.dropFirst()
        var order = integer.isEmpty ? -(fraction.prefix { $0 == "0" }.count + 1) : integer.count - 1
        order += match.output.2.flatMap { Int($0.dropFirst().replacingOccurrences(of: "+", with: "")) } ?? 0
        return (-128...126).contains(order)
    }

    /// MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId: 1..128 printable ASCII.
    package static func isValidFifoIdentifier(_ text: String) -> Bool {
        guard SQSLimits.fifoIdentifierLength.contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// Batch entry ids: 1..80 of `[A-Za-z0-9_-]`.
    package static func isValidBatchEntryId(_ id: String) -> Bool {
        guard SQSLimits.batchEntryIdLength.contains(id.utf8.count) else { return false }
        return id.utf8.allSatisfy { c in
            (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
                || c == 0x5F || c == 0x2D
        }
    }

    /// Queue names: 1..80 of `[A-Za-z0-9_-]`, a `.fifo` suffix included in the 80.
    package static func isValidQueueName(_ name: String) -> Bool {
        let base = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        guard (1...80).contains(name.utf8.count), !base.isEmpty else { return false }
        return isValidBatchEntryId(base)
    }
}
