import Foundation
import SQSDigest
import SQSModel
import Testing
import WharfEngine

/// Which system and message attributes a receive returns, and their digest
/// (docs/sqs-behaviour.md#system-attributes, #attribute-selection).
@Suite struct ReceiveFilterTests {
    static let worked: MessageAttributes = [
        "City": string("Any City"),
        "Count": string("42", type: "Number.int"),
        "Blob": binary([0x00, 0x01, 0x02]),
    ]

    @Test func sendReturnsTheWorkedExampleDigest() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("worked")
        let sent = try await h.send(url, "body", attributes: Self.worked)
        #expect(sent.MD5OfMessageAttributes == "27f137935bc9d60f824ed82d6a69fba1")
    }

    static let filterCases: [([String]?, Set<String>, String?)] = [
        (nil, [], nil),
        ([], [], nil),
        (["All"], ["Blob", "City", "Count"], "27f137935bc9d60f824ed82d6a69fba1"),
        ([".*"], ["Blob", "City", "Count"], "27f137935bc9d60f824ed82d6a69fba1"),
        (["*"], ["Blob", "City", "Count"], "27f137935bc9d60f824ed82d6a69fba1"),
        (["C.*"], ["City", "Count"], "a0cd70f7688297e12281d1210dc2d7e1"),
        (["City", "Count"], ["City", "Count"], "a0cd70f7688297e12281d1210dc2d7e1"),
        (["City"], ["City"], nil),
        (["Blob", "Nope"], ["Blob"], nil),
        (["Nope"], [], nil),
        (["city"], [], nil),           // case-sensitive
        (["AWS."], [], nil),           // illegal names: nothing, no error
        (["..foo"], [], nil),
    ]

    @Test(arguments: ReceiveFilterTests.filterCases)
    func messageAttributeFilters(_ filter: [String]?, _ expected: Set<String>, _ digest: String?) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("filters")
        try await h.send(url, "body", attributes: Self.worked)
        let message = try #require(try await h.receive(url, messageAttributes: filter).first)
        let returned = message.MessageAttributes ?? [:]
        #expect(Set(returned.keys) == expected)
        for (name, value) in returned { #expect(value == Self.worked[name]) }
        if expected.isEmpty {
            #expect(message.MessageAttributes == nil)
            #expect(message.MD5OfMessageAttributes == nil)
        } else {
            // The digest covers exactly the returned subset.
            #expect(message.MD5OfMessageAttributes == MessageDigest.md5(ofAttributes: returned))
            if let digest { #expect(message.MD5OfMessageAttributes == digest) }
        }
    }

    @Test func prefixFilters() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("dotted")
        let attributes: MessageAttributes = [
            "Foo.a": string("1"), "Foo.b": string("2"), "Foobar": string("3"), "Bar.a": string("4"),
        ]
        try await h.send(url, "body", attributes: attributes)
        // The prefix is what precedes ".*", as "C.*" selects City and Count
        // (docs/sqs-behaviour.md#attribute-selection).
        let message = try #require(try await h.receive(url, visibility: 0, messageAttributes: ["Foo.*"]).first)
        #expect(Set((message.MessageAttributes ?? [:]).keys) == ["Foo.a", "Foo.b", "Foobar"])
        let dotted = try #require(try await h.receive(url, visibility: 0, messageAttributes: ["Bar.*"]).first)
        #expect(Set((dotted.MessageAttributes ?? [:]).keys) == ["Bar.a"])
    }

    @Test func messageWithoutAttributesHasNoDigestEvenWithAll() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("plain")
        try await h.send(url, "body")
        let message = try #require(try await h.receive(url, messageAttributes: ["All"]).first)
        #expect(message.MessageAttributes == nil)
        #expect(message.MD5OfMessageAttributes == nil)
    }

    @Test func systemAttributesAll() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("sysall")
        let sentAt = h.clock.nowMillis()
        try await h.send(url, "body")
        h.clock.advance(byMillis: 1234)
        let message = try #require(try await h.receive(url, system: ["All"]).first)
        #expect(message.Attributes == [
            "SenderId": "AKIDTEST",
            "SentTimestamp": String(sentAt),
            "ApproximateReceiveCount": "1",
            "ApproximateFirstReceiveTimestamp": String(sentAt + 1234),
        ])
    }

    @Test func systemAttributesAllViaDeprecatedAttributeNames() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("sysdep")
        try await h.send(url, "body")
        let message = try #require(try await h.receive(url, attributeNames: ["All"]).first)
        #expect(Set((message.Attributes ?? [:]).keys) ==
                ["SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"])
    }

    @Test func systemAttributesExact() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("sysexact")
        try await h.send(url, "body")
        let m1 = try #require(try await h.receive(url, visibility: 0, system: ["SenderId"]).first)
        #expect(m1.Attributes == ["SenderId": "AKIDTEST"])
        let m2 = try #require(try await h.receive(url, visibility: 0, attributeNames: ["ApproximateReceiveCount"]).first)
        #expect(m2.Attributes == ["ApproximateReceiveCount": "2"])
        // The union of both lists.
        let m3 = try #require(try await h.receive(url, visibility: 0, system: ["SentTimestamp"],
                                                  attributeNames: ["ApproximateReceiveCount"]).first)
        #expect(Set((m3.Attributes ?? [:]).keys) == ["SentTimestamp", "ApproximateReceiveCount"])
        // Not requested: no Attributes at all; names that do not apply: nothing.
        let m4 = try #require(try await h.receive(url, visibility: 0).first)
        #expect(m4.Attributes == nil)
        let m5 = try #require(try await h.receive(url, visibility: 0, system: ["SequenceNumber", "AWSTraceHeader"]).first)
        #expect(m5.Attributes == nil)
    }

    @Test func systemAttributesDoNotChangeTheAttributeDigest() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("sysmd5")
        let sent = try await h.engine.sendMessage(SendMessageRequest(
            QueueUrl: url, MessageBody: "b", MessageAttributes: ["Foo": string("Bar")],
            MessageSystemAttributes: ["AWSTraceHeader": string("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")]), ctx)
        #expect(sent.MD5OfMessageAttributes == "ae7155c6026991b6d54b11589678bf9c")
        #expect(sent.MD5OfMessageSystemAttributes == "5f48eef650c1d0207456969c85af2fdd")
        let got = try #require(try await h.receive(url, system: ["All"], messageAttributes: ["All"]).first)
        #expect(got.MD5OfMessageAttributes == "ae7155c6026991b6d54b11589678bf9c")
    }
}
