import Foundation
import SQSDigest
import SQSModel
import Testing
import WharfEngine

/// Body size and characters, message attribute rules (docs/sqs-behaviour.md#message-attributes, #message-body).
@Suite struct MessageValidationTests {
    @Test func maximumMessageSizeIsInclusive() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("small", ["MaximumMessageSize": "1024"])
        try await h.send(url, String(repeating: "a", count: 1024))
        await expectSQSError(
            "InvalidParameterValue",
            message: "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.") {
            try await h.send(url, String(repeating: "a", count: 1025))
        }
        // Size is in UTF-8 bytes: 512 two-byte characters fit, 513 do not.
        try await h.send(url, String(repeating: "é", count: 512))
        await expectSQSError("InvalidParameterValue") { try await h.send(url, String(repeating: "é", count: 513)) }
        #expect(try await h.counts(url).0 == 2)
    }

    @Test func attributesCountTowardTheSize() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("attrsize", ["MaximumMessageSize": "1024"])
        // name (4) + type (6) + value (4) = 14 bytes of attributes.
        let attributes: MessageAttributes = ["name": string("abcd")]
        try await h.send(url, String(repeating: "a", count: 1010), attributes: attributes)
        await expectSQSError("InvalidParameterValue") {
            try await h.send(url, String(repeating: "a", count: 1011), attributes: attributes)
        }
    }

    @Test func defaultMaximumIsOneMebibyte() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("big")
        try await h.send(url, String(repeating: "a", count: 1_048_576))
        await expectSQSError(
            "InvalidParameterValue",
            message: "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.") {
            try await h.send(url, String(repeating: "a", count: 1_048_577))
        }
        let got = try await h.receive(url)
        #expect(got.first?.Body.utf8.count == 1_048_576)
    }

    @Test(arguments: ["\u{0}", "a\u{8}b", "\u{13}", "\u{FFFF}", "\u{FFFE}", "ok\u{B}"])
    func invalidCharacters(_ body: String) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("chars")
        await expectSQSError(
            "InvalidMessageContents",
            message: "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF") {
            try await h.send(url, body)
        }
        #expect(try await h.counts(url).0 == 0)
    }

    @Test func tenAttributesOkElevenNot() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("eleven")
        var attributes: MessageAttributes = [:]
        for i in 0..<10 { attributes["a\(i)"] = string("v\(i)") }
        let sent = try await h.send(url, "ten", attributes: attributes)
        #expect(sent.MD5OfMessageAttributes == MessageDigest.md5(ofAttributes: attributes))
        attributes["a10"] = string("v10")
        await expectSQSError("InvalidParameterValue") { try await h.send(url, "eleven", attributes: attributes) }
    }

    @Test(arguments: ["AWS.x", "aws.x", "aWs.thing", "Amazon.x", "AMAZON.x", ".x", "x.", "a..b", "", "has space",
                      "bang!", "q?", String(repeating: "n", count: 257)])
    func invalidAttributeNames(_ name: String) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("names")
        let error = await sqsError { try await h.send(url, "b", attributes: [name: string("v")]) }
        #expect(error?.queryCode == "InvalidParameterValue")
        #expect(error?.httpStatus == 400)
    }

    @Test(arguments: ["attr.1øßä", "a.b.c", "under_score-dash", "AWSish", "Amazonian", String(repeating: "n", count: 256)])
    func validAttributeNames(_ name: String) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("okname")
        let attributes = [name: string("v")]
        let sent = try await h.send(url, "b", attributes: attributes)
        #expect(sent.MD5OfMessageAttributes == MessageDigest.md5(ofAttributes: attributes))
        // Stored under its name exactly, and returned when asked for.
        let received = try await h.receive(url, messageAttributes: [name])
        #expect(received.first?.MessageAttributes == attributes)
    }

    @Test(arguments: ["Invalid", "string", "Strings", "Number.", "", "Binary" + String(repeating: "x", count: 251),
                      "Number." + String(repeating: "x", count: 256)])
    func invalidDataTypes(_ type: String) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("types")
        let value = MessageAttributeValue(dataType: type, stringValue: "1", binaryValue: Data([1]))
        await expectSQSError("InvalidParameterValue") { try await h.send(url, "b", attributes: ["n": value]) }
    }

    @Test func customTypeLabelsAreAccepted() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("labels")
        let attributes: MessageAttributes = [
            "i": string("42", type: "Number.int"), "f": string("-1.5e10", type: "Number.float"),
            "j": string("{}", type: "String.json"), "p": binary([0x89, 0x50], type: "Binary.png"),
        ]
        let sent = try await h.send(url, "b", attributes: attributes)
        #expect(sent.MD5OfMessageAttributes == MessageDigest.md5(ofAttributes: attributes))
        let got = try #require(try await h.receive(url, messageAttributes: ["All"]).first)
        #expect(got.MessageAttributes == attributes)
    }

    @Test func emptyStringValueIsRejected() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("emptyval")
        await expectSQSError(
            "InvalidParameterValue",
            message: "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.") {
            try await h.send(url, "b", attributes: ["ErrorDetails": string("")])
        }
        await expectSQSError("InvalidParameterValue") {
            try await h.send(url, "b", attributes: ["NoValue": MessageAttributeValue(dataType: "String")])
        }
        await expectSQSError("InvalidParameterValue") {
            try await h.send(url, "b", attributes: ["Bin": MessageAttributeValue(dataType: "Binary", binaryValue: Data())])
        }
    }

    @Test func controlCharactersInStringValueAreRejected() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("ctl")
        for bad in ["a\u{8}", "\u{B}"] {
            let error = await sqsError { try await h.send(url, "b", attributes: ["s": string(bad)]) }
            #expect(error?.queryCode.contains("Invalid") == true)
        }
    }

    @Test func numberValuesMustBeNumbers() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("num")
        await expectSQSError("InvalidParameterValue") {
            try await h.send(url, "b", attributes: ["n": string("abc", type: "Number")])
        }
        // 38 significant digits are fine, 39 are not.
        try await h.send(url, "b", attributes: ["n": string(String(repeating: "9", count: 38), type: "Number")])
        await expectSQSError("InvalidParameterValue") {
            try await h.send(url, "b", attributes: ["n": string(String(repeating: "9", count: 39), type: "Number")])
        }
    }

    /// Magnitudes from 10^-128 to 10^126 (docs/sqs-behaviour.md#message-attributes), however the number is written.
    @Test(arguments: [("1" + String(repeating: "0", count: 126), true), ("1" + String(repeating: "0", count: 127), false),
                      ("9.9e126", true), ("1e127", false), ("0.5e127", true), ("1e-128", true), ("1e-129", false),
                      ("0.001e-125", true), ("0.0001e-125", false), ("000", true), ("-0.0", true)])
    func numberMagnitude(value: String, valid: Bool) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("magnitude")
        let accepted = (try? await h.send(url, "b", attributes: ["n": string(value, type: "Number")])) != nil
        #expect(accepted == valid, "\(value)")
    }

    @Test func systemAttributeOnSend() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("trace")
        let trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        let sent = try await h.engine.sendMessage(SendMessageRequest(
            QueueUrl: url, MessageBody: "b", MessageSystemAttributes: ["AWSTraceHeader": string(trace)]), ctx)
        #expect(sent.MD5OfMessageSystemAttributes == "5ae4d5d7636402d80f4eb6d213245a88")
        #expect(sent.MD5OfMessageAttributes == nil)
        let got = try #require(try await h.receive(url, system: ["AWSTraceHeader"]).first)
        #expect(got.Attributes == ["AWSTraceHeader": trace])
        // System attributes never affect the user-attribute digest.
        #expect(got.MD5OfMessageAttributes == nil)

        await expectSQSError("InvalidParameterValue") {
            _ = try await h.engine.sendMessage(SendMessageRequest(
                QueueUrl: url, MessageBody: "b", MessageSystemAttributes: ["SenderId": string("x")]), ctx)
        }
        await expectSQSError("InvalidParameterValue") {
            _ = try await h.engine.sendMessage(SendMessageRequest(
                QueueUrl: url, MessageBody: "b",
                MessageSystemAttributes: ["AWSTraceHeader": binary([1], type: "Binary")]), ctx)
        }
    }

    @Test func traceHeaderFromTheRequestIsStored() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("xray")
        var traced = ctx
        traced.traceHeader = "Root=1-abc;Sampled=1"
        let sent = try await h.send(url, "b", in: traced)
        #expect(sent.MD5OfMessageSystemAttributes == nil)
        let got = try #require(try await h.receive(url, system: ["All"]).first)
        #expect(got.Attributes?["AWSTraceHeader"] == "Root=1-abc;Sampled=1")
    }

    @Test func messageDeduplicationIdOnStandardQueue() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("dedup")
        await expectSQSError("InvalidParameterValue") {
            _ = try await h.engine.sendMessage(SendMessageRequest(QueueUrl: url, MessageBody: "b",
                                                                  MessageDeduplicationId: "d1"), ctx)
        }
    }

    @Test func messageGroupIdOnStandardQueue() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("fair")
        _ = try await h.engine.sendMessage(SendMessageRequest(QueueUrl: url, MessageBody: "b", MessageGroupId: "g-1"), ctx)
        let got = try #require(try await h.receive(url, system: ["All"]).first)
        #expect(got.Attributes?["MessageGroupId"] == "g-1")
        for bad in ["", "has space", String(repeating: "g", count: 129)] {
            await expectSQSError(
                "InvalidParameterValue",
                message: "Value \(bad) for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.") {
                _ = try await h.engine.sendMessage(SendMessageRequest(QueueUrl: url, MessageBody: "b", MessageGroupId: bad), ctx)
            }
        }
    }
}
