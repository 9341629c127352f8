import Foundation
import SQSModel
import Testing
import WharfEngine

/// Fair queues (message groups on standard queues) and the in-flight limit
/// (docs/sqs-behaviour.md#fair-queues, #quotas).
struct FairQueueAndLimitTests {
    @Test func aBigGroupDoesNotStarveASmallOne() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("tenants")
        for i in 0..<50 { try await h.send(url, "big-\(i)", group: "big") }
        for i in 0..<3 { try await h.send(url, "small-\(i)", group: "small") }
        let first = try await h.receive(url, max: 10, system: ["MessageGroupId"])
        #expect(first.count == 10)
        #expect(first.filter { $0.Body.hasPrefix("small") }.count == 3)
        #expect(first.allSatisfy { $0.Attributes?["MessageGroupId"] == ($0.Body.hasPrefix("big") ? "big" : "small") })
    }

    @Test func ungroupedMessagesAreALaneOfTheirOwn() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("mixed")
        for i in 0..<20 { try await h.send(url, "g-\(i)", group: "g") }
        try await h.send(url, "plain")
        let first = try await h.receive(url, max: 4)
        #expect(first.map(\.Body).contains("plain"))
        // Everything is delivered exactly once over successive receives.
        var bodies = first.map { $0.Body }
        while true {
            let more = try await h.receive(url, max: 10)
            if more.isEmpty { break }
            bodies += more.map { $0.Body }
        }
        #expect(bodies.count == 21 && Set(bodies).count == 21)
    }

    @Test func manyGroupsAllGetTheirTurn() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("many")
        // More groups than one receive visits: the round-robin cursor moves on.
        for group in 0..<80 { try await h.send(url, "m", group: "group-\(group)") }
        var groups = Set<String>()
        for _ in 0..<8 {
            for message in try await h.receive(url, max: 10, system: ["MessageGroupId"]) {
                groups.insert(message.Attributes!["MessageGroupId"]!)
            }
        }
        #expect(groups.count == 80)
    }

    @Test func inFlightLimitAnswersOverLimitOnShortPolls() async throws {
        let h = try await Harness(limits: EngineLimits(maxInFlightMessages: 3))
        let url = try await h.createQueue("busy")
        for i in 0..<5 { try await h.send(url, "m\(i)") }
        let held = try await h.receive(url, max: 10)
        #expect(held.count == 3, "a receive stops at the limit")
        await expectSQSError("OverLimit", status: 403) { _ = try await h.receive(url) }
        // A long poll finds nothing instead of failing.
        let poll = Task { try await h.receive(url, wait: 1) }
        await waitUntilParked(h.clock)
        h.clock.advance(bySeconds: 1)
        #expect(try await poll.value.isEmpty)
        try await h.delete(url, held[0].ReceiptHandle)
        #expect(try await h.receive(url, max: 10).count == 1)
    }

    // The store counts in-flight messages only when the invisible ones (in flight or delayed)
    // could reach the limit; both sides of that shortcut must give the exact answer.
    @Test func inFlightLimitIsExactAroundTheCountingShortcut() async throws {
        let h = try await Harness(limits: EngineLimits(maxInFlightMessages: 12))
        let url = try await h.createQueue("edge")
        for i in 0..<5 { try await h.send(url, "delayed-\(i)", delay: 60) }
        for i in 0..<30 { try await h.send(url, "m\(i)") }
        // Five delayed messages are invisible but not in flight: a full receive still fits.
        #expect(try await h.receive(url, max: 10).count == 10)
        // Ten in flight: two more fit.
        #expect(try await h.receive(url, max: 10).count == 2)
        await expectSQSError("OverLimit", status: 403) { _ = try await h.receive(url) }
    }

    @Test func inFlightLimitLeavesRoomForWhatIsLeft() async throws {
        let h = try await Harness(limits: EngineLimits(maxInFlightMessages: 12))
        let url = try await h.createQueue("room")
        for i in 0..<30 { try await h.send(url, "m\(i)") }
        #expect(try await h.receive(url, max: 2).count == 2)
        // 2 in flight + 10 = 12: exactly at the limit, no counting needed.
        #expect(try await h.receive(url, max: 10).count == 10)
        await expectSQSError("OverLimit", status: 403) { _ = try await h.receive(url) }
    }

    @Test func fifoQueuesAtTheLimitReturnNothingWithoutAnError() async throws {
        let h = try await Harness(limits: EngineLimits(maxInFlightMessages: 1))
        let url = try await h.createQueue("busy.fifo", ["FifoQueue": "true"])
        try await h.send(url, "a", group: "g1", dedup: "1")
        try await h.send(url, "b", group: "g2", dedup: "2")
        #expect(try await h.receive(url).count == 1)
        #expect(try await h.receive(url).isEmpty)
    }
}
