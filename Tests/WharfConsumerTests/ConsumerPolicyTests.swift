import Foundation
import WharfClient
import Testing
import WharfExpression
@testable import WharfConsumer

@Suite struct ConsumerPolicyTests {
    @Test func failFastWhenTheQueueDoesNotExist() async throws {
        let transport = FakeTransport()
        transport.queueExists = false
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .single { _ in })
        await #expect(throws: ConsumerError.queueDoesNotExist("q")) { try await consumer.run() }
        #expect(transport.receives.isEmpty)
    }

    @Test func rejectsInvalidConfiguration() async throws {
        let consumer = Consumer(transport: FakeTransport(), configuration: testConfiguration { $0.maxMessages = 11 },
                                handler: .single { _ in })
        await #expect(throws: ConsumerError.self) { try await consumer.run() }
    }

    @Test(arguments: [UnmatchedPolicy.delete, .leave])
    func unmatchedPolicy(_ policy: UnmatchedPolicy) async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("yes", body: #"{"ok":true}"#), makeMessage("no", body: #"{"ok":false}"#),
                       makeMessage("text", body: "plain text")])
        let handled = Recorder<String>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.condition = try! FEELExpression(parsing: "=body.ok = true")
            $0.onUnmatched = policy
        }, handler: .single { handled.append($0.messageId) })
        let counters = try await runConsumer(consumer) { $0.processed + $0.unmatched == 3 }
        #expect(handled.values == ["yes"])
        #expect(counters.unmatched == 2)
        #expect(counters.processed == 1)
        if policy == .delete {
            #expect(Set(transport.deletedIds) == ["yes", "no", "text"])
        } else {
            #expect(transport.deletedIds == ["yes"])
            #expect(transport.visibilityChanges.isEmpty, "left messages are not touched")
        }
    }

    @Test func expressionErrorIsARetryableFailure() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.condition = try! FEELExpression(parsing: "=no such func(body)")
        }, handler: .single { _ in })
        let counters = try await runConsumer(consumer) { $0.failed == 1 }
        #expect(transport.deletedIds.isEmpty)
        #expect(transport.visibilityChanges.map(\.timeout) == [0])
        #expect(counters.processed == 0)
    }

    @Test(arguments: [AcknowledgementMode.onSuccess, .always, .manual])
    func acknowledgementModes(_ mode: AcknowledgementMode) async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("good"), makeMessage("bad"), makeMessage("acked-then-failed")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration { $0.acknowledgement = mode },
                                handler: .single { message in
            switch message.messageId {
            case "good":
                if mode == .manual { message.acknowledgement.delete() }
            case "bad":
                throw TestFailure()
            default:
                message.acknowledgement.delete()
                throw TestFailure()
            }
        })
        let counters = try await runConsumer(consumer) { $0.processed + $0.failed == 3 }
        #expect(counters.processed == 1 && counters.failed == 2)
        try await Task.sleep(for: .milliseconds(50))
        switch mode {
        case .onSuccess, .manual:
            #expect(Set(transport.deletedIds) == ["good", "acked-then-failed"])
            #expect(transport.visibilityChanges.map(\.id) == ["bad"], "an acked message is not released")
        case .always:
            #expect(Set(transport.deletedIds) == ["good", "bad", "acked-then-failed"])
            #expect(transport.visibilityChanges.isEmpty)
        }
    }

    @Test func manualModeLeavesUnacknowledgedMessages() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration { $0.acknowledgement = .manual },
                                handler: .single { _ in })
        let counters = try await runConsumer(consumer) { $0.processed == 1 }
        #expect(transport.deletedIds.isEmpty && transport.visibilityChanges.isEmpty)
        #expect(counters.inFlight == 0)
    }

    @Test func failurePolicyValues() {
        #expect(FailurePolicy.releaseImmediately.visibility(receiveCount: 5) == 0)
        #expect(FailurePolicy.releaseAfter(seconds: 42).visibility(receiveCount: 5) == 42)
        #expect(FailurePolicy.visibilityTimeout.visibility(receiveCount: 5) == nil)
        let exponential = FailurePolicy.exponential(initialSeconds: 2, multiplier: 3, capSeconds: 100)
        #expect([1, 2, 3, 4, 5, 50].map { exponential.visibility(receiveCount: $0) } == [2, 6, 18, 54, 100, 100])
        #expect(FailurePolicy.exponential(initialSeconds: 1).visibility(receiveCount: 1000) == 43200)
    }

    @Test(arguments: [
        (FailurePolicy.releaseImmediately, [0, 0]),
        (.releaseAfter(seconds: 7), [7, 7]),
        (.exponential(initialSeconds: 5, multiplier: 2, capSeconds: 60), [5, 40]),
        (.visibilityTimeout, []),
    ])
    func failurePolicies(_ policy: FailurePolicy, expected: [Int]) async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("first", receiveCount: 1), makeMessage("fourth", receiveCount: 4)])
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.onFailure = policy
            $0.concurrency = 1
        }, handler: .single { _ in throw TestFailure() })
        try await runConsumer(consumer) { $0.failed == 2 }
        #expect(transport.visibilityChanges.map(\.timeout) == expected)
        #expect(transport.deletedIds.isEmpty)
    }

    @Test func failedMessageComesBackAndIsProcessedAgain() async throws {
        let transport = FakeTransport()
        transport.redeliverOnRelease = true
        transport.add([makeMessage("flaky")])
        let attempts = Recorder<Int>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .single { message in
            attempts.append(message.receiveCount)
            if message.receiveCount < 3 { throw TestFailure() }
        })
        let counters = try await runConsumer(consumer) { $0.processed == 1 }
        #expect(attempts.values == [1, 2, 3])
        #expect(counters.failed == 2 && counters.received == 3)
        #expect(transport.deletedIds == ["flaky"])
    }

    @Test func heartbeatKeepsASlowMessageInvisible() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("slow"), makeMessage("fast")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.heartbeat = Heartbeat(interval: .milliseconds(100), extendTo: 9)
        }, handler: .single { message in
            // Slow until the heartbeat has extended it four times (bounded: a broken heartbeat
            // fails the expectation below instead of hanging), whatever the machine's load.
            let deadline = ContinuousClock.now + .seconds(8)
            while message.messageId == "slow" && ContinuousClock.now < deadline
                    && transport.visibilityChanges.filter({ $0.id == "slow" }).count < 4 {
                try await Task.sleep(for: .milliseconds(20))
            }
        })
        let counters = try await runConsumer(consumer) { $0.processed == 2 }
        let extensions = transport.visibilityChanges.filter { $0.id == "slow" }
        #expect(extensions.count >= 4, "extended \(extensions.count) times")
        #expect(extensions.allSatisfy { $0.timeout == 9 })
        // The fast message may get one extension if the machine is slow to run its handler;
        // never more than the slow one.
        let fast = transport.visibilityChanges.filter { $0.id == "fast" }
        #expect(fast.count < extensions.count && fast.allSatisfy { $0.timeout == 9 })
        #expect(counters.heartbeats == extensions.count + fast.count)
    }

    @Test func heartbeatDefaultsFollowTheVisibilityTimeout() {
        let consumer = Consumer(transport: FakeTransport(), configuration: testConfiguration(), handler: .single { _ in })
        let settings = consumer.heartbeatSettings(Consumer.QueueInfo(url: "u", visibilityTimeout: 30))
        #expect(settings?.0 == .seconds(10) && settings?.1 == 30)
        let disabled = Consumer(transport: FakeTransport(), configuration: testConfiguration { $0.heartbeat = nil },
                                handler: .single { _ in })
        #expect(disabled.heartbeatSettings(Consumer.QueueInfo(url: "u", visibilityTimeout: 30)) == nil)
    }

    @Test func handlerTimeoutIsAFailure() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("stuck")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.handlerTimeout = .milliseconds(100)
        }, handler: .single { _ in
            // Ignores cancellation on purpose: the timeout must not wait for it.
            await ignoringCancellation(for: 30)
        })
        let start = ContinuousClock.now
        let counters = try await runConsumer(consumer) { $0.failed == 1 }
        #expect(ContinuousClock.now - start < .seconds(25), "well before the handler's 30 s")
        #expect(counters.processed == 0)
        #expect(transport.visibilityChanges.map(\.timeout) == [0])
        #expect(transport.deletedIds.isEmpty)
    }

    @Test func pollErrorsBackOffExponentiallyWithJitter() async throws {
        let transport = FakeTransport()
        transport.alwaysFail = TransportError(kind: .other, message: "connection refused")
        let sleeps = Recorder<Duration>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .single { _ in },
                                sleep: { sleeps.append($0); await Task.yield() }, random: { 0.5 })
        let counters = try await runConsumer(consumer) { $0.pollErrors >= 8 }
        let seconds = sleeps.values.prefix(8).map(\.seconds)
        // Equal jitter at 0.5: three quarters of 1, 2, 4 ... capped at 60.
        #expect(seconds == [0.75, 1.5, 3, 6, 12, 24, 45, 45])
        #expect(counters.pollErrors == transport.receives.count || counters.pollErrors == transport.receives.count - 1)
    }

    @Test func backoffIsNeverTightAndLongerAfterAuthenticationErrors() {
        let backoff = PollBackoff()
        for failures in 1...30 {
            let low = backoff.delay(afterFailures: failures, authentication: false, random: 0)
            let high = backoff.delay(afterFailures: failures, authentication: false, random: 0.999)
            #expect(low >= .milliseconds(500) && high <= .seconds(60))
        }
        #expect(backoff.delay(afterFailures: 1, authentication: true, random: 0) == .seconds(30))
    }

    @Test func authenticationErrorsWaitLonger() async throws {
        let transport = FakeTransport()
        transport.receiveErrors = [TransportError(kind: .authentication, message: "SignatureDoesNotMatch")]
        transport.add([makeMessage("m")])
        let sleeps = Recorder<Duration>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .single { _ in },
                                sleep: { sleeps.append($0) }, random: { 0 })
        let counters = try await runConsumer(consumer) { $0.processed == 1 }
        #expect(sleeps.values == [.seconds(30)])
        #expect(counters.pollErrors == 1)
    }

    @Test func stopInterruptsABackoffSleep() async throws {
        let transport = FakeTransport()
        transport.alwaysFail = TransportError(kind: .other, message: "down")
        // A 60-second backoff: only stop() can end the run within the bound below.
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.pollBackoff = PollBackoff(initial: .seconds(60), maximum: .seconds(60))
        }, handler: .single { _ in })
        let start = ContinuousClock.now
        try await runConsumer(consumer) { $0.pollErrors >= 1 }
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func concurrencyLimitIsIndependentOfMaxMessages() async throws {
        for (concurrency, maxMessages) in [(3, 10), (25, 10)] {
            let transport = FakeTransport()
            transport.add((1...60).map { makeMessage("m\($0)") })
            let gauge = Gauge()
            let consumer = Consumer(transport: transport, configuration: testConfiguration {
                $0.concurrency = concurrency
                $0.maxMessages = maxMessages
            }, handler: .single { _ in
                gauge.enter()
                try await Task.sleep(for: .milliseconds(30))
                gauge.leave()
            })
            try await runConsumer(consumer) { $0.processed == 60 }
            #expect(gauge.maximum <= concurrency)
            #expect(gauge.maximum >= min(concurrency, 20) - 2, "peak \(gauge.maximum) for concurrency \(concurrency)")
            #expect(transport.receives.allSatisfy { $0.maxMessages <= maxMessages })
        }
    }

    @Test func deletesAreBatched() async throws {
        let transport = FakeTransport()
        transport.add((1...25).map { makeMessage("m\($0)") })
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.concurrency = 25
            $0.deleteBatching.flushInterval = .milliseconds(200)
        }, handler: .single { _ in })
        let counters = try await runConsumer(consumer) { $0.processed == 25 }
        let sizes = transport.locked { transport.deleteCalls.map(\.count) }
        #expect(sizes.reduce(0, +) == 25)
        #expect(sizes.allSatisfy { $0 <= 10 })
        #expect(sizes.count <= 4, "batches: \(sizes)")
        #expect(counters.deleted == 25)
    }

    @Test func fifoOrderWithinAGroupAndGroupsInParallel() async throws {
        let transport = FakeTransport()
        var messages: [SQSMessage] = []
        for seq in 1...6 { for group in ["a", "b", "c", "d"] { messages.append(makeMessage("\(group)\(seq)", group: group)) } }
        transport.add(messages)
        let events = Recorder<String>()
        let perGroup = [String: Gauge](uniqueKeysWithValues: ["a", "b", "c", "d"].map { ($0, Gauge()) })
        let overall = Gauge()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.concurrency = 20
        }, handler: .single { message in
            let gauge = perGroup[message.groupId!]!
            gauge.enter(); overall.enter()
            events.append(message.messageId)
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...25)))
            overall.leave(); gauge.leave()
        })
        try await runConsumer(consumer) { $0.processed == 24 }
        for group in ["a", "b", "c", "d"] {
            #expect(events.values.filter { $0.hasPrefix(group) } == (1...6).map { "\(group)\($0)" })
            #expect(perGroup[group]!.maximum == 1, "group \(group) ran two at once")
        }
        #expect(overall.maximum >= 3, "groups did not run in parallel (peak \(overall.maximum))")
    }

    @Test func fifoFailureReleasesTheRestOfTheGroup() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("a1", group: "a"), makeMessage("b1", group: "b"), makeMessage("a2", group: "a"),
                       makeMessage("a3", group: "a"), makeMessage("b2", group: "b")])
        let handled = Recorder<String>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .single { message in
            handled.append(message.messageId)
            if message.messageId == "a2" { throw TestFailure() }
        })
        let counters = try await runConsumer(consumer) { $0.processed == 3 && $0.released == 2 }
        #expect(!handled.values.contains("a3"))
        #expect(Set(transport.deletedIds) == ["a1", "b1", "b2"])
        #expect(Set(transport.visibilityChanges.map(\.id)) == ["a2", "a3"])
        #expect(transport.visibilityChanges.allSatisfy { $0.timeout == 0 })
        #expect(counters.failed == 1)
    }

    @Test func partialBatchFailure() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m1"), makeMessage("m2"), makeMessage("m3"), makeMessage("skip", body: #"{"skip":true}"#)])
        let batches = Recorder<[String]>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.condition = try! FEELExpression(parsing: "=body.skip != true")
        }, handler: .batch { messages in
            batches.append(messages.map(\.messageId))
            return BatchResult(failedMessageIds: ["m2"])
        })
        let counters = try await runConsumer(consumer) { $0.processed == 2 && $0.failed == 1 }
        #expect(batches.values == [["m1", "m2", "m3"]])
        #expect(Set(transport.deletedIds) == ["m1", "m3", "skip"])
        #expect(transport.visibilityChanges.map(\.id) == ["m2"])
        #expect(counters.unmatched == 1)
    }

    @Test func batchHandlerThatThrowsFailsEveryMessage() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m1"), makeMessage("m2")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .batch { _ in throw TestFailure() })
        let counters = try await runConsumer(consumer) { $0.failed == 2 }
        #expect(transport.deletedIds.isEmpty)
        #expect(Set(transport.visibilityChanges.map(\.id)) == ["m1", "m2"])
        #expect(counters.processed == 0)
    }

    @Test func gracefulShutdownFinishesRunningAndReleasesUnstarted() async throws {
        let transport = FakeTransport()
        transport.add((1...5).map { makeMessage("g\($0)", group: "g") })
        let started = Recorder<String>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .single { message in
            started.append(message.messageId)
            try await Task.sleep(for: .milliseconds(300))
        })
        let task = Task { try await consumer.run() }
        while started.values.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        consumer.stop()
        try await task.value
        let counters = consumer.counters
        #expect(started.values == ["g1"])
        #expect(counters.processed == 1, "the running handler finished")
        #expect(transport.deletedIds == ["g1"])
        #expect(Set(transport.visibilityChanges.map(\.id)) == ["g2", "g3", "g4", "g5"])
        #expect(transport.visibilityChanges.allSatisfy { $0.timeout == 0 })
        #expect(counters.released == 4 && counters.inFlight == 0)
    }

    @Test func gracePeriodCancelsHandlersThatDoNotFinish() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("forever")])
        let started = Recorder<String>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.shutdownGracePeriod = .milliseconds(200)
        }, handler: .single { message in
            started.append(message.messageId)
            await ignoringCancellation(for: 30)
        })
        let task = Task { try await consumer.run() }
        while started.values.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let stopAt = ContinuousClock.now
        consumer.stop()
        try await task.value
        #expect(ContinuousClock.now - stopAt < .seconds(25), "well before the handler's 30 s")
        #expect(transport.visibilityChanges.map(\.id) == ["forever"], "released after the grace period")
        #expect(consumer.counters.failed == 1)
    }

    @Test func cancellingRunShutsDownGracefully() async throws {
        let transport = FakeTransport()
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .single { _ in })
        let task = Task { try await consumer.run() }
        while consumer.counters.emptyPolls < 2 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        try await task.value
        #expect(consumer.counters.emptyPolls >= 2)
    }

    @Test func countersAndRequestedAttributes() async throws {
        let transport = FakeTransport()
        transport.receiveErrors = [TransportError(kind: .other, message: "500")]
        transport.add([makeMessage("a"), makeMessage("b")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.systemAttributeNames = [.sentTimestamp]
            $0.messageAttributeNames = ["trace"]
            $0.maxMessages = 7
            $0.waitTimeSeconds = 3
        }, handler: .single { message in if message.messageId == "b" { throw TestFailure() } },
           sleep: { _ in })
        let counters = try await runConsumer(consumer) { $0.processed + $0.failed == 2 && $0.emptyPolls >= 1 }
        #expect(counters.received == 2 && counters.processed == 1 && counters.failed == 1)
        #expect(counters.pollErrors == 1 && counters.emptyPolls >= 1 && counters.inFlight == 0)
        let request = try #require(transport.receives.first)
        #expect(request.systemAttributeNames == [.sentTimestamp, .approximateReceiveCount, .messageGroupId])
        #expect(request.messageAttributeNames == ["trace"])
        #expect(request.maxMessages == 7 && request.waitTimeSeconds == 3)
    }

    @Test func messageObjectAndResultMapping() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m1", body: #"{"id": 42, "name": "x"}"#, attributes: [
            "key": .string("value"),
            "bin": .binary(Data([1, 2, 3])),
        ]), makeMessage("m2", body: "not json")])
        let outputs = Recorder<(String, FEELValue, FEELValue)>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.condition = try! FEELExpression(parsing: #"=(messageAttributes.key.stringValue="value") or body = "not json""#)
            $0.resultExpression = try! FEELExpression(parsing: #"={resultBody: body, bodyId: body.id, messageId: messageId, "createdMessageID": response.messageId}"#)
            $0.resultVariable = "message"
        }, handler: .single { outputs.append(($0.messageId, $0.object, $0.output)) })
        try await runConsumer(consumer) { $0.processed == 2 }
        let byId = Dictionary(uniqueKeysWithValues: outputs.values.map { ($0.0, ($0.1, $0.2)) })
        let (object, output) = try #require(byId["m1"])
        #expect(object["body"]?["id"] == 42)
        #expect(object["rawBody"] == .string(#"{"id": 42, "name": "x"}"#))
        #expect(object["messageAttributes"]?["key"]?["stringValue"] == "value")
        #expect(object["messageAttributes"]?["key"]?["dataType"] == "String")
        #expect(object["messageAttributes"]?["bin"]?["binaryValue"] == "AQID")
        #expect(object["attributes"]?["ApproximateReceiveCount"] == "1")
        #expect(object["eventSource"] == "aws:sqs")
        #expect(object["eventSourceARN"] == "arn:aws:sqs:eu-west-3:000000000000:fake")
        #expect(object["awsRegion"] == "eu-west-3")
        #expect(object["queueUrl"] == "http://fake/000000000000/q")
        #expect(output["bodyId"] == 42)
        #expect(output["messageId"] == "m1")
        #expect(output["createdMessageID"] == "m1")
        #expect(output["message"]?["messageId"] == "m1")
        #expect(byId["m2"]?.0["body"] == "not json")
    }
}
