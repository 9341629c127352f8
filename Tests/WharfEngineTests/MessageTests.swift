import Foundation
import SQSDigest
import SQSModel
import Testing
import WharfEngine

/// Send / receive / delete, receipt handles, visibility, delay, retention
/// (docs/sqs-behaviour.md#visibility, #long-polling).
@Suite struct MessageTests {
    @Test func sendReceiveDeleteRoundTrip() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("rt")
        let sent = try await h.send(url, "test")
        #expect(sent.MD5OfMessageBody == "098f6bcd4621d373cade4e832627b4f6")
        #expect(sent.MD5OfMessageAttributes == nil)
        #expect(sent.MD5OfMessageSystemAttributes == nil)
        #expect(sent.SequenceNumber == nil)
        #expect(!sent.MessageId.isEmpty && sent.MessageId.count <= 100)

        let got = try await h.receive(url)
        let message = try #require(got.first)
        #expect(got.count == 1)
        #expect(message.Body == "test")
        #expect(message.MessageId == sent.MessageId)
        #expect(message.MD5OfBody == "098f6bcd4621d373cade4e832627b4f6")
        #expect(message.Attributes == nil)
        #expect(message.MessageAttributes == nil)
        #expect(message.MD5OfMessageAttributes == nil)
        #expect(message.ReceiptHandle.utf8.count <= 1024)

        try await h.delete(url, message.ReceiptHandle)
        h.clock.advance(bySeconds: 31)
        #expect(try await h.receive(url).isEmpty)
        #expect(try await h.counts(url) == (0, 0, 0))
    }

    @Test func unicodeBodyRoundTrips() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("uni")
        let body = "héllo 🌍 \t\r\n \u{E000} \u{10FFFF} <xml>&amp;</xml>"
        let sent = try await h.send(url, body)
        #expect(sent.MD5OfMessageBody == MessageDigest.md5(ofBody: body))
        let got = try await h.receive(url)
        #expect(got.first?.Body == body)
        #expect(got.first?.MD5OfBody == sent.MD5OfMessageBody)
    }

    @Test func emptyBodyIsMissingParameter() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("empty")
        await expectSQSError("MissingParameter", message: "The request must contain the parameter MessageBody.") {
            try await h.send(url, "")
        }
    }

    @Test func everyReceiveGetsANewHandleAndCountsUp() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("handles")
        try await h.send(url, "m")
        let firstReceiveAt = h.clock.nowMillis()
        var handles: Set<String> = []
        for expected in 1...4 {
            let got = try await h.receive(url, visibility: 0, system: ["All"])
            let message = try #require(got.first)
            handles.insert(message.ReceiptHandle)
            #expect(message.Attributes?["ApproximateReceiveCount"] == String(expected))
            #expect(message.Attributes?["ApproximateFirstReceiveTimestamp"] == String(firstReceiveAt))
            h.clock.advance(byMillis: 5)
        }
        #expect(handles.count == 4)
    }

    @Test func visibilityTimeoutHidesUntilItPasses() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("vis", ["VisibilityTimeout": "30"])
        try await h.send(url, "m")
        let first = try #require(try await h.receive(url).first)
        #expect(try await h.receive(url).isEmpty)
        h.clock.advance(bySeconds: 29)
        #expect(try await h.receive(url).isEmpty)
        h.clock.advance(bySeconds: 1)
        let second = try #require(try await h.receive(url, system: ["ApproximateReceiveCount"]).first)
        #expect(second.MessageId == first.MessageId)
        #expect(second.ReceiptHandle != first.ReceiptHandle)
        #expect(second.Attributes?["ApproximateReceiveCount"] == "2")
    }

    @Test func receiveVisibilityTimeoutOverridesQueueDefault() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("visov", ["VisibilityTimeout": "300"])
        try await h.send(url, "m")
        _ = try #require(try await h.receive(url, visibility: 5).first)
        h.clock.advance(bySeconds: 4)
        #expect(try await h.receive(url).isEmpty)
        h.clock.advance(bySeconds: 1)
        #expect(try await h.receive(url).count == 1)
        // The next receive used the queue default again (300 s).
        h.clock.advance(bySeconds: 299)
        #expect(try await h.receive(url).isEmpty)
    }

    @Test func receiveVisibilityTimeoutOutOfRange() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("visrange")
        await expectSQSError("InvalidParameterValue") { _ = try await h.receive(url, visibility: 43201) }
        await expectSQSError("InvalidParameterValue") { _ = try await h.receive(url, visibility: -1) }
    }

    @Test func changeVisibilityToZeroMakesVisible() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("cmv0")
        try await h.send(url, "m")
        let message = try #require(try await h.receive(url).first)
        #expect(try await h.receive(url).isEmpty)
        try await h.changeVisibility(url, message.ReceiptHandle, 0)
        let again = try #require(try await h.receive(url, system: ["ApproximateReceiveCount"]).first)
        #expect(again.MessageId == message.MessageId)
        #expect(again.Attributes?["ApproximateReceiveCount"] == "2")
    }

    @Test func changeVisibilityExtendsFromNow() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("cmvext", ["VisibilityTimeout": "10"])
        try await h.send(url, "m")
        let message = try #require(try await h.receive(url).first)
        h.clock.advance(bySeconds: 8)
        try await h.changeVisibility(url, message.ReceiptHandle, 60)
        h.clock.advance(bySeconds: 59)
        #expect(try await h.receive(url).isEmpty)
        h.clock.advance(bySeconds: 1)
        #expect(try await h.receive(url).count == 1)
    }

    @Test func changeVisibilityErrors() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("cmverr")
        try await h.send(url, "m")
        let message = try #require(try await h.receive(url).first)
        let handle = message.ReceiptHandle

        await expectSQSError("InvalidParameterValue") { try await h.changeVisibility(url, handle, 43201) }
        await expectSQSError("InvalidParameterValue") { try await h.changeVisibility(url, handle, -1) }

        try await h.delete(url, handle)
        await expectSQSError(
            "InvalidParameterValue",
            message: "Value \(handle) for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.") {
            try await h.changeVisibility(url, handle, 10)
        }
    }

    @Test func changeVisibilityTotalBeyondTwelveHours() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("cmv12h")
        try await h.send(url, "m")
        let message = try #require(try await h.receive(url, visibility: 43200).first)
        h.clock.advance(bySeconds: 100)
        // 100 s after the receive, 43200 more would total more than 12 h: rejected, not clamped.
        await expectSQSError("InvalidParameterValue") { try await h.changeVisibility(url, message.ReceiptHandle, 43200) }
        try await h.changeVisibility(url, message.ReceiptHandle, 43100)
    }

    @Test func deleteTwiceIsFine() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("del2")
        try await h.send(url, "m")
        let message = try #require(try await h.receive(url).first)
        try await h.delete(url, message.ReceiptHandle)
        try await h.delete(url, message.ReceiptHandle)
        try await h.delete(url, message.ReceiptHandle)
    }

    @Test func oldHandleStillDeletesOnStandardQueue() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("oldhandle", ["VisibilityTimeout": "5"])
        try await h.send(url, "m")
        let message = try #require(try await h.receive(url).first)
        h.clock.advance(bySeconds: 6)
        try await h.delete(url, message.ReceiptHandle)
        #expect(try await h.receive(url).isEmpty)
        #expect(try await h.counts(url) == (0, 0, 0))
    }

    /// On a standard queue an old handle still works for ChangeMessageVisibility after the
    /// timeout expired, and re-hides the message from now.
    @Test func oldHandleStillChangesVisibility() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("oldcmv", ["VisibilityTimeout": "5"])
        try await h.send(url, "m")
        let message = try #require(try await h.receive(url).first)
        h.clock.advance(bySeconds: 6)
        try await h.changeVisibility(url, message.ReceiptHandle, 100)
        #expect(try await h.receive(url).isEmpty)
        #expect(try await h.counts(url) == (0, 1, 0))
        h.clock.advance(bySeconds: 100)
        #expect(try await h.receive(url).count == 1)
    }

    @Test func reducingRetentionExpiresExistingMessages() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("shrink")
        try await h.send(url, "old")
        h.clock.advance(bySeconds: 120)
        try await h.send(url, "new")
        _ = try await h.engine.setQueueAttributes(
            SetQueueAttributesRequest(QueueUrl: url, Attributes: ["MessageRetentionPeriod": "60"]), ctx)
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["new"])
    }

    @Test(arguments: ["garbage", "INVALID", "", "d2hhdGV2ZXI=", String(repeating: "A", count: 2000)])
    func garbageHandle(_ handle: String) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("garbage")
        let expected = "The input receipt handle \"\(handle)\" is not a valid receipt handle."
        await expectSQSError("ReceiptHandleIsInvalid", status: 404, message: expected) {
            try await h.delete(url, handle)
        }
        await expectSQSError("ReceiptHandleIsInvalid", status: 404, message: expected) {
            try await h.changeVisibility(url, handle, 10)
        }
    }

    @Test func handleFromAnotherQueueIsInvalid() async throws {
        let h = try await Harness()
        let a = try await h.createQueue("qa")
        let b = try await h.createQueue("qb")
        try await h.send(a, "from a")
        let message = try #require(try await h.receive(a).first)
        await expectSQSError("ReceiptHandleIsInvalid", status: 404) { try await h.delete(b, message.ReceiptHandle) }
        await expectSQSError("ReceiptHandleIsInvalid", status: 404) {
            try await h.changeVisibility(b, message.ReceiptHandle, 0)
        }
        // The message in queue a is untouched.
        #expect(try await h.counts(a) == (0, 1, 0))
    }

    @Test func queueDelayHidesMessages() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("qdelay", ["DelaySeconds": "10"])
        try await h.send(url, "late")
        #expect(try await h.receive(url).isEmpty)
        #expect(try await h.counts(url) == (0, 0, 1))
        h.clock.advance(bySeconds: 9)
        #expect(try await h.receive(url).isEmpty)
        h.clock.advance(bySeconds: 1)
        #expect(try await h.receive(url).map(\.Body) == ["late"])
    }

    @Test func perMessageDelayOverridesQueueDelay() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("mdelay", ["DelaySeconds": "100"])
        try await h.send(url, "now", delay: 0)
        try await h.send(url, "soon", delay: 5)
        #expect(try await h.counts(url) == (1, 0, 1))
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["now"])
        h.clock.advance(bySeconds: 5)
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["soon"])
        await expectSQSError("InvalidParameterValue") { try await h.send(url, "x", delay: 901) }
        await expectSQSError("InvalidParameterValue") { try await h.send(url, "x", delay: -1) }
    }

    @Test func retentionDropsExpiredMessages() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("ret", ["MessageRetentionPeriod": "60"])
        try await h.send(url, "old")
        h.clock.advance(bySeconds: 30)
        try await h.send(url, "young")
        h.clock.advance(bySeconds: 31) // "old" is 61 s old, "young" 31 s
        let got = try await h.receive(url, max: 10, visibility: 0)
        #expect(got.map(\.Body) == ["young"])
        h.clock.advance(bySeconds: 30)
        #expect(try await h.receive(url, max: 10).isEmpty)
    }

    @Test func retentionAppliesToInFlightMessagesToo() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("retfly", ["MessageRetentionPeriod": "60", "VisibilityTimeout": "50"])
        try await h.send(url, "m")
        _ = try #require(try await h.receive(url).first)
        h.clock.advance(bySeconds: 61)
        #expect(try await h.receive(url).isEmpty)
    }

    @Test func expireMessagesSweepsOldMessages() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("sweep", ["MessageRetentionPeriod": "60"])
        try await h.send(url, "m")
        h.clock.advance(bySeconds: 61)
        await h.engine.expireMessages()
        #expect(try await h.counts(url) == (0, 0, 0))
    }

    @Test func maxNumberOfMessages() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("max")
        for i in 0..<15 { try await h.send(url, "m\(i)") }
        #expect(try await h.receive(url).count == 1)
        let ten = try await h.receive(url, max: 10)
        #expect(ten.count == 10)
        #expect(Set(ten.map(\.MessageId)).count == 10)
        #expect(try await h.receive(url, max: 10).count == 4)
        #expect(try await h.receive(url, max: 10).isEmpty)
    }

    @Test func receiveParameterRanges() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("ranges")
        for n in [0, 11] {
            await expectSQSError(
                "InvalidParameterValue",
                message: "Value \(n) for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.") {
                _ = try await h.receive(url, max: n)
            }
        }
        for w in [21, -1] {
            await expectSQSError(
                "InvalidParameterValue",
                message: "Value \(w) for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.") {
                _ = try await h.receive(url, wait: w)
            }
        }
    }

    @Test func operationsOnMissingQueue() async throws {
        let h = try await Harness()
        let url = "http://localhost:9324/000000000000/missing"
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { try await h.send(url, "x") }
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { _ = try await h.receive(url) }
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { _ = try await h.attributes(url) }
    }
}
