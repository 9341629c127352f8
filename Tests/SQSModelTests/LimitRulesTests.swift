import Foundation
import SQSModel
import Testing

/// The limits both sides check (docs/sqs-behaviour.md#limits, #batches, #message-attributes),
/// at their edges.
@Suite struct LimitRulesTests {
    static func string(_ value: String, type: String = "String") -> MessageAttributeValue {
        MessageAttributeValue(dataType: type, stringValue: value)
    }

    static func validate(_ body: String, delay: Int? = nil, _ attributes: MessageAttributes? = nil,
                         maximumSize: Int = SQSLimits.maximumMessageSize, inBatch: Bool = false) throws(SQSError) -> Int {
        try MessageRules.validateMessage(body: body, delaySeconds: delay, attributes: attributes,
                                         maximumSize: maximumSize, inBatch: inBatch)
    }

    @Test func theSizeLimitIsInclusive() throws {
        #expect(try Self.validate(String(repeating: "a", count: 1024), maximumSize: 1024) == 1024)
        #expect(throws: SQSError.invalidParameterValue(
            "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.")) {
            try Self.validate(String(repeating: "a", count: 1025), maximumSize: 1024)
        }
        #expect(throws: SQSError.invalidParameterValue(
            "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.")) {
            try Self.validate(String(repeating: "a", count: 1025), maximumSize: 1024, inBatch: true)
        }
        // Attributes count toward it: 1010 + 14 fits 1024, 1011 + 14 does not.
        let attributes = ["name": Self.string("abcd")]
        #expect(try Self.validate(String(repeating: "a", count: 1010), attributes, maximumSize: 1024) == 1024)
        #expect(throws: SQSError.self) { try Self.validate(String(repeating: "a", count: 1011), attributes, maximumSize: 1024) }
        // The largest limit: 1 MiB.
        #expect(try Self.validate(String(repeating: "a", count: 1_048_576)) == SQSLimits.maximumMessageSize)
        #expect(throws: SQSError.self) { try Self.validate(String(repeating: "a", count: 1_048_577)) }
    }

    @Test func checksComeInSQSOrder() {
        // Delay, then characters, then attributes, then size.
        let tooMany = Dictionary(uniqueKeysWithValues: (0...10).map { ("a\($0)", Self.string("v")) })
        let huge = String(repeating: "a", count: 2000)
        #expect(throws: SQSError.invalidParameterValue(value: "901", parameter: "DelaySeconds",
                                                       reason: "DelaySeconds must be >= 0 and <= 900.")) {
            try Self.validate(huge + "\u{0}", delay: 901, tooMany, maximumSize: 1024)
        }
        #expect(throws: SQSError.invalidMessageContents()) { try Self.validate(huge + "\u{0}", tooMany, maximumSize: 1024) }
        #expect(throws: SQSError.invalidParameterValue("Number of message attributes [11] exceeds the allowed maximum [10].")) {
            try Self.validate(huge, tooMany, maximumSize: 1024)
        }
        #expect(throws: SQSError.missingParameter("MessageBody")) { try MessageRules.validateBody("") }
    }

    @Test func delaySeconds() throws {
        #expect(try Self.validate("b", delay: 0) == 1)
        #expect(try Self.validate("b", delay: 900) == 1)
        #expect(throws: SQSError.self) { try Self.validate("b", delay: -1) }
        #expect(throws: SQSError.self) { try Self.validate("b", delay: 901) }
    }

    @Test func attributeCountAndNames() throws {
        let ten = Dictionary(uniqueKeysWithValues: (0..<10).map { ("a\($0)", Self.string("v")) })
        try MessageRules.validateAttributes(ten)
        for name in ["attr.1øßä", "a.b.c", "under_score-dash", "AWSish", String(repeating: "n", count: 256)] {
            try MessageRules.validateAttributeName(name)
        }
        for name in ["AWS.x", "aWs.thing", "AMAZON.x", ".x", "x.", "a..b", "", "has space", "bang!",
                     String(repeating: "n", count: 257), String(repeating: "ø", count: 129)] {
            #expect(throws: SQSError.self, "\(name)") { try MessageRules.validateAttributeName(name) }
        }
    }

    @Test func batchRequests() throws {
        try BatchRules.validate(ids: (0..<10).map { "id-\($0)_" }, entryName: "E")
        try BatchRules.validate(ids: [String(repeating: "i", count: 80)], entryName: "E")
        #expect(throws: SQSError.emptyBatchRequest(entryName: "E")) { try BatchRules.validate(ids: [], entryName: "E") }
        #expect(throws: SQSError.tooManyEntriesInBatchRequest(count: 11)) {
            try BatchRules.validate(ids: (0...10).map { "\($0)" }, entryName: "E")
        }
        for bad in ["", String(repeating: "i", count: 81), "invalid:id", "sp ace", "é"] {
            #expect(throws: SQSError.invalidBatchEntryId(), "\(bad)") { try BatchRules.validate(ids: [bad], entryName: "E") }
        }
        #expect(throws: SQSError.batchEntryIdsNotDistinct(id: "a")) { try BatchRules.validate(ids: ["a", "b", "a"], entryName: "E") }
    }

    @Test func batchSizeIsTheSumAndInclusive() throws {
        let quarter = String(repeating: "x", count: 262_144)
        let four = (0..<4).map { SendMessageBatchRequestEntry(Id: "\($0)", MessageBody: quarter) }
        try BatchRules.validateSize(four)
        var over = four
        over[3].MessageAttributes = ["k": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0]))]
        #expect(throws: SQSError.batchRequestTooLong(size: 1_048_576 + 1 + 6 + 1)) { try BatchRules.validateSize(over) }
        #expect(SQSError.batchRequestTooLong(size: 1_048_577).message
                == "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.")
    }
}
