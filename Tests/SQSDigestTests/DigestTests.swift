import Foundation
import SQSDigest
import SQSModel
import Testing

/// The digests SDKs verify (docs/sqs-behaviour.md#md5-digests).
@Suite struct DigestTests {
    @Test func bodyDigests() {
        #expect(MessageDigest.md5(ofBody: "test") == "098f6bcd4621d373cade4e832627b4f6")
        #expect(MessageDigest.md5(ofBody: "Hello from SQS") == "c7a5a80bb4b8f56b68b7786e692e4a8b")
    }

    /// The worked example (docs/sqs-behaviour.md#digest-test-vectors): Blob, City, Count.
    @Test func workedExample() {
        let all: MessageAttributes = [
            "City": string("Any City"),
            "Count": string("42", type: "Number.int"),
            "Blob": binary([0x00, 0x01, 0x02]),
        ]
        #expect(MessageDigest.md5(ofAttributes: all) == "27f137935bc9d60f824ed82d6a69fba1")
        let subset = all.filter { $0.key.hasPrefix("C") }
        #expect(MessageDigest.md5(ofAttributes: subset) == "a0cd70f7688297e12281d1210dc2d7e1")
    }

    /// AWSTraceHeader system-attribute digests (docs/sqs-behaviour.md#digest-test-vectors).
    @Test func systemAttributeDigests() {
        let short: MessageAttributes = [
            "AWSTraceHeader": string("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
        ]
        #expect(MessageDigest.md5(ofAttributes: short) == "5f48eef650c1d0207456969c85af2fdd")
        let long: MessageAttributes = [
            "AWSTraceHeader": string("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
        ]
        #expect(MessageDigest.md5(ofAttributes: long) == "5ae4d5d7636402d80f4eb6d213245a88")
    }

    static let vectors: [(MessageAttributes, String)] = [
        (["timestamp": string("1493147359900", type: "Number")], "235c5c510d26fb653d073faed50ae77c"),
        (["Foo": string("Bar")], "ae7155c6026991b6d54b11589678bf9c"),
        (["MyAttribute": string("foobar")], "adb59cd4678ea5a855436b949cd07ab6"),
        (["Hello": string("There")], "a311262e065454b75da111d535b8dacd"),
        (["General": string("Kenobi"), "Hello": string("There")], "fca026605781cb4126a1e9044df24232"),
        (["Hello": string("There"), "Help.Me": string("Me")], "83fee93c1bcd8b9a5a923ffacdc636c7"),
        (["General": string("Kenobi"), "Hello": string("There"), "Help.Me": string("Me")],
         "4c360f3fdafd970e05fae2f149d997f5"),
        (["attr1": binary(Array("traceparent\u{1e}00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01".utf8))],
         "8cbe4db156db8a94db8b801b7addb984"),
        (["attribName1": string("attribValue 1")], "19e27d4e946b072f3f58da80d94fd778"),
        (["binaryAttribute": binary(Array("Hello binary world!".utf8))], "31a92b15d92f8db860eda32aceb656c3"),
        (["customNumberTypeAttrib": string("4563442423554324324264524243.32543234", type: "Number.float")],
         "9fe1b90bbd9965bdf77bac517c7d2495"),
        ([
            "attribName1": string("attribValue 1"),
            "binaryAttribute": binary(Array("Hello binary world!".utf8)),
            "customNumberTypeAttrib": string("4563442423554324324264524243.32543234", type: "Number.float"),
        ], "c932db14a896c663f83c260297d594ff"),
    ]

    /// The test vectors of docs/sqs-behaviour.md#digest-test-vectors.
    @Test(arguments: 0..<DigestTests.vectors.count)
    func vector(_ index: Int) {
        let (attributes, expected) = Self.vectors[index]
        #expect(MessageDigest.md5(ofAttributes: attributes) == expected)
    }

    @Test func emptyAttributesHaveNoDigest() {
        #expect(MessageDigest.md5(ofAttributes: [:]) == nil)
    }

    /// Sorting is by UTF-8 bytes: upper case before lower case.
    @Test func orderIsByteWiseNotInsertionOrCaseInsensitive() {
        let a: MessageAttributes = ["b": string("1"), "B": string("2"), "a": string("3")]
        let b: MessageAttributes = ["a": string("3"), "B": string("2"), "b": string("1")]
        #expect(MessageDigest.md5(ofAttributes: a) == MessageDigest.md5(ofAttributes: b))
    }
}

func string(_ value: String, type: String = "String") -> MessageAttributeValue {
    MessageAttributeValue(dataType: type, stringValue: value)
}

func binary(_ bytes: [UInt8], type: String = "Binary") -> MessageAttributeValue {
    MessageAttributeValue(dataType: type, binaryValue: Data(bytes))
}
