import Foundation
import SQSModel
import Testing
import WharfEngine

/// Which message a receive returns, as AWS orders them: standard queues by send time (a
/// redelivered message before those sent after it), FIFO groups in turn (the groups just served
/// go to the back), and what PurgeQueue does to a FIFO queue's deduplication window.
@Suite struct DeliveryOrderTests {
    func fifoQueue(_ h: Harness, _ name: String = "order.fifo") async throws -> String {
        try await h.createQueue(name, ["FifoQueue": "true"])
    }

    @Test func aMessageWhoseVisibilityRanOutComesBeforeThoseSentAfterIt() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("redelivery")
        try await h.send(url, "m1")
        let first = try await h.receive(url, visibility: 30)
        #expect(first.map(\.Body) == ["m1"])
        h.clock.advance(bySeconds: 1)
        try await h.send(url, "m2")
        try await h.send(url, "m3")
        h.clock.advance(bySeconds: 30)
        // m1 became visible after m2 and m3 were sent, but was sent before them.
        #expect(try await h.receive(url, max: 3, visibility: 0).map(\.Body) == ["m1", "m2", "m3"])
        #expect(try await h.receive(url, visibility: 30).map(\.Body) == ["m1"])
    }

    @Test func freshAndRedeliveredMessagesInterleaveBySendOrder() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("interleave")
        for i in 1...4 { try await h.send(url, "m\(i)") }
        // m1 and m3 are received and come back; m2 and m4 were never received.
        let taken = try await h.receive(url, max: 4, visibility: 10)
        for message in taken where message.Body == "m2" || message.Body == "m4" {
            try await h.changeVisibility(url, message.ReceiptHandle, 0)
        }
        h.clock.advance(bySeconds: 10)
        #expect(try await h.receive(url, max: 4, visibility: 0).map(\.Body) == ["m1", "m2", "m3", "m4"])
    }

    @Test func fifoGroupsJustServedGoToTheBack() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        for group in ["g1", "g2", "g3"] {
            for i in 1...2 { try await h.send(url, "\(group)-m\(i)", group: group, dedup: "\(group)-\(i)") }
        }
        // A receive that serves g1 and g2 (visibility 0: they are receivable again at once) ...
        let first = try await h.receive(url, max: 4, visibility: 0)
        #expect(first.map(\.Body) == ["g1-m1", "g1-m2", "g2-m1", "g2-m2"])
        // ... is followed by one that starts with g3, then the groups in the order they were served.
        #expect(try await h.receive(url, max: 6, visibility: 0).map(\.Body)
                == ["g3-m1", "g3-m2", "g1-m1", "g1-m2", "g2-m1", "g2-m2"])
    }

    @Test func fifoGroupsServedAfterTheirTimeoutRanOutAlsoWaitTheirTurn() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        for group in ["g1", "g2", "g3"] { try await h.send(url, "\(group)-m1", group: group, dedup: group) }
        #expect(try await h.receive(url, max: 2, visibility: 5).map(\.Body) == ["g1-m1", "g2-m1"])
        h.clock.advance(bySeconds: 5)
        #expect(try await h.receive(url, max: 3, visibility: 5).map(\.Body) == ["g3-m1", "g1-m1", "g2-m1"])
    }

    @Test func aGroupBlockedByItsHeadCostsOneStep() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        try await h.send(url, "blocked-head", group: "big", dedup: "head")
        _ = try await h.receive(url, visibility: 60)
        for i in 1...200 { try await h.send(url, "big-\(i)", group: "big", dedup: "big-\(i)") }
        try await h.send(url, "other", group: "small", dedup: "small")
        #expect(try await h.receive(url, max: 10).map(\.Body) == ["other"])
    }

    @Test func emptiedGroupsDoNotLinger() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        for i in 1...50 {
            try await h.send(url, "x", group: "g\(i)", dedup: "\(i)")
            let message = try #require(try await h.receive(url).first)
            try await h.delete(url, message.ReceiptHandle)
        }
        #expect(try await h.fifoGroupRows() == 0)
        try await h.send(url, "last", group: "new", dedup: "new")
        #expect(try await h.receive(url).map(\.Body) == ["last"])
    }

    @Test func purgeClearsTheDeduplicationWindow() async throws {
        let h = try await Harness()
        let url = try await fifoQueue(h)
        let original = try await h.send(url, "before", group: "g", dedup: "same-id")
        _ = try await h.engine.purgeQueue(PurgeQueueRequest(QueueUrl: url), ctx)
        let again = try await h.send(url, "after", group: "g", dedup: "same-id")
        #expect(again.MessageId != original.MessageId)
        #expect(try await h.receive(url).map(\.Body) == ["after"])
    }
}
