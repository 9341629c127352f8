import Foundation
import Logging
import SQSModel
import Testing
import WharfExpression
@testable import WharfConsumer

/// Log entries a logger wrote, for tests.
final class LogRecorder: @unchecked Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }
    private let lock = NSLock()
    private var recorded: [Entry] = []
    var entries: [Entry] { lock.withLock { recorded } }
    func append(_ entry: Entry) { lock.withLock { recorded.append(entry) } }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues(\.description)
            recorder.append(Entry(level: event.level, message: event.message.description, metadata: merged))
        }
    }
}

/// Collects a consumer's events until its stream ends.
func collectEvents(_ consumer: Consumer) -> Task<[ConsumerEvent], Never> {
    let stream = consumer.events()
    return Task {
        var events: [ConsumerEvent] = []
        for await event in stream { events.append(event) }
        return events
    }
}

extension [ConsumerEvent] {
    var failures: [MessageFailure] { compactMap { if case .failed(let failure) = $0 { failure } else { nil } } }
}

let fakeQueueURL = "http://fake/000000000000/q"

func ref(_ id: String, receiveCount: Int = 1) -> MessageReference {
    MessageReference(queueURL: fakeQueueURL, messageId: id, receiveCount: receiveCount)
}

struct NamedFailure: Error, CustomStringConvertible {
    var description: String
}

@Suite struct ConsumerReportingTests {
    /// Each failure is an event with its cause and next step, and an error-level log line
    /// with queue, message id and receive count.
    @Test func handlerFailuresAreReportedWithTheirDisposition() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("ok"), makeMessage("boom", receiveCount: 3), makeMessage("slow")])
        let log = LogRecorder()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.onFailure = .exponential(initialSeconds: 10, capSeconds: 600)
            $0.handlerTimeout = .milliseconds(50)
            $0.logger = log.logger
        }, handler: .single { message in
            switch message.messageId {
            case "boom": throw NamedFailure(description: "./handle.sh: exit status 3; stderr: disk full")
            case "slow": try await Task.sleep(for: .seconds(5))
            default: break
            }
        })
        let events = collectEvents(consumer)
        try await runConsumer(consumer) { $0.processed + $0.failed == 3 }
        let seen = await events.value
        #expect(seen.first == .started(queueURL: fakeQueueURL))
        guard case .stopped(let counters)? = seen.last else { Issue.record("no stopped event last: \(seen)"); return }
        #expect(counters.failed == 2)
        let failures = Dictionary(uniqueKeysWithValues: seen.failures.map { ($0.message.messageId, $0) })
        #expect(failures["boom"] == MessageFailure(message: ref("boom", receiveCount: 3),
                                                   cause: .handler("./handle.sh: exit status 3; stderr: disk full"),
                                                   next: .released(delaySeconds: 40)))
        #expect(failures["slow"] == MessageFailure(message: ref("slow"), cause: .handlerTimedOut(.milliseconds(50)),
                                                   next: .released(delaySeconds: 10)))
        #expect(seen.contains { if case .processed(let message, _) = $0 { message == ref("ok") } else { false } })

        let line = try #require(log.entries.first { $0.level == .error && $0.metadata["messageId"] == "boom" })
        #expect(line.metadata["queue"] == fakeQueueURL)
        #expect(line.metadata["receiveCount"] == "3")
        #expect(line.metadata["cause"] == "handler failed: ./handle.sh: exit status 3; stderr: disk full")
        #expect(line.metadata["next"] == "released with delay 40 s")
        #expect(line.message == "message failed: handler failed: ./handle.sh: exit status 3; stderr: disk full; released with delay 40 s")
        let slow = try #require(log.entries.first { $0.metadata["messageId"] == "slow" && $0.level == .error })
        #expect(slow.metadata["cause"] == "handler timed out after 0.05 s")
    }

    /// A failing activation condition names itself, its source and the error's position.
    @Test func expressionFailuresCarryTheExpressionAndPosition() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m", body: #"{"a": 1}"#)])
        let log = LogRecorder()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.condition = try! FEELExpression(parsing: "=body.a > 0 and frobnicate(body)")
            $0.onFailure = .visibilityTimeout
            $0.logger = log.logger
        }, handler: .single { _ in Issue.record("the handler must not run") })
        let events = collectEvents(consumer)
        try await runConsumer(consumer) { $0.failed == 1 }
        let failure = try #require(await events.value.failures.first)
        #expect(failure.next == .leftToTimeOut)
        guard case .expression(let expression) = failure.cause else { Issue.record("\(failure.cause)"); return }
        #expect(expression.role == .activationCondition)
        #expect(expression.source == "=body.a > 0 and frobnicate(body)")
        #expect(expression.reason == #"unknown function "frobnicate""#)
        #expect((expression.line, expression.column) == (1, 17))
        let line = try #require(log.entries.first { $0.level == .error })
        #expect(line.metadata["expression"] == "=body.a > 0 and frobnicate(body)")
        #expect(line.metadata["position"] == "1:17")
        #expect(line.metadata["next"] == "left to time out")
        #expect(transport.visibilityChanges.isEmpty)
    }

    @Test func resultExpressionFailureAndAcknowledgeAlways() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m"), makeMessage("n")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.acknowledgement = .always
        }, handler: .single { message in if message.messageId == "n" { throw TestFailure() } })
        let events = collectEvents(consumer)
        try await runConsumer(consumer) { $0.processed + $0.failed == 2 }
        #expect(await events.value.failures.map(\.next) == [.deleted])

        let mapped = FakeTransport()
        mapped.add([makeMessage("m")])
        let failing = Consumer(transport: mapped, configuration: testConfiguration {
            $0.resultExpression = try! FEELExpression(parsing: "={x: matches(\"x\", \"[\")}")
            $0.onFailure = .releaseAfter(seconds: 7)
        }, handler: .single { _ in })
        let mappedEvents = collectEvents(failing)
        try await runConsumer(failing) { $0.failed == 1 }
        let failure = try #require(await mappedEvents.value.failures.first)
        #expect(failure.next == .released(delaySeconds: 7))
        guard case .expression(let expression) = failure.cause else { Issue.record("\(failure.cause)"); return }
        #expect(expression.role == .resultExpression)
        #expect(expression.reason.hasPrefix("invalid pattern"))
    }

    /// Credentials that went bad: every failed poll is a warning that says so and backs off
    /// at least the authentication minimum; the SQS code is in the report.
    @Test func authenticationFailuresBackOffAndWarn() async throws {
        let transport = FakeTransport()
        transport.receiveErrors = [
            TransportError(kind: .authentication, message: "InvalidClientTokenId (HTTP 403): The security token is invalid",
                           code: "InvalidClientTokenId"),
            TransportError(kind: .other, message: "transport error: connection refused"),
        ]
        let log = LogRecorder()
        let sleeps = Recorder<Duration>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.logger = log.logger
            $0.pollBackoff = PollBackoff(initial: .milliseconds(100), maximum: .seconds(10), authenticationMinimum: .seconds(30))
        }, handler: .single { _ in }, sleep: { sleeps.append($0) }, random: { 0 })
        let events = collectEvents(consumer)
        try await runConsumer(consumer) { $0.pollErrors == 2 && $0.emptyPolls > 0 }
        let polls = await events.value.compactMap { if case .pollFailed(let failure) = $0 { failure } else { nil } }
        try #require(polls.count == 2)
        #expect(polls[0] == PollFailure(queueURL: fakeQueueURL, code: "InvalidClientTokenId",
                                        reason: "InvalidClientTokenId (HTTP 403): The security token is invalid",
                                        authentication: true, consecutiveFailures: 1, retryIn: .seconds(30)))
        #expect(polls[1].code == nil && !polls[1].authentication && polls[1].consecutiveFailures == 2)
        #expect(abs(polls[1].retryIn.seconds - 0.1) < 1e-9)
        #expect(sleeps.values.map { ($0.seconds * 1000).rounded() } == [30_000, 100])
        let warnings = log.entries.filter { $0.level == .warning }
        #expect(warnings.count == 2)
        #expect(warnings[0].message.contains("authentication"))
        #expect(warnings[0].message.contains("backing off, retrying in 30 s"))
        #expect(warnings[0].metadata["code"] == "InvalidClientTokenId")
        #expect(warnings[1].message == "receive failed: transport error: connection refused; retrying in 0.1 s")
    }

    @Test func failedDeletesAndReleasesAreReportedPerMessage() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("expired"), makeMessage("fine"), makeMessage("bad")])
        transport.failDeletes = ["expired": "ReceiptHandleIsInvalid"]
        transport.visibilityError = TransportError(kind: .other, message: "ServiceUnavailable (HTTP 503): try later",
                                                   code: "ServiceUnavailable")
        let consumer = Consumer(transport: transport, configuration: testConfiguration(),
                                handler: .single { message in if message.messageId == "bad" { throw TestFailure() } })
        let events = collectEvents(consumer)
        try await runConsumer(consumer) { $0.deleted + $0.deleteErrors == 2 && $0.failed == 1 }
        let failures = await events.value.compactMap { if case .acknowledgementFailed(let failure) = $0 { failure } else { nil } }
        #expect(Set(failures.map(\.message.messageId)) == ["expired", "bad"])
        let delete = try #require(failures.first { $0.operation == .delete })
        #expect(delete.code == "ReceiptHandleIsInvalid")
        #expect(delete.consequence.contains("received again"))
        let release = try #require(failures.first { $0.operation == .changeVisibility })
        #expect(release.message == ref("bad"))
        #expect(release.code == "ServiceUnavailable")
        #expect(consumer.counters.deleteErrors == 1)
    }

    @Test func unmatchedAndReleasedMessagesAreReported() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("yes", body: #"{"ok":true}"#), makeMessage("no", body: #"{"ok":false}"#)])
        let log = LogRecorder()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.condition = try! FEELExpression(parsing: "=body.ok")
            $0.onUnmatched = .leave
            $0.logger = log.logger
        }, handler: .single { _ in })
        let events = collectEvents(consumer)
        try await runConsumer(consumer) { $0.processed + $0.unmatched == 2 }
        #expect(await events.value.contains(.unmatched(ref("no"), deleted: false)))
        #expect(log.entries.contains { $0.level == .debug && $0.message == "message unmatched: left unmatched to time out" })
    }

    /// Jitter scales a failure delay into d·(1 − jitter) … d, from the injected random source.
    @Test func jitterOnReleaseDelays() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.onFailure = .releaseAfter(seconds: 100)
            $0.failureJitter = 0.5
        }, handler: .single { _ in throw TestFailure() }, random: { 0.5 })
        let events = collectEvents(consumer)
        try await runConsumer(consumer) { $0.failed == 1 }
        #expect(transport.visibilityChanges.map(\.timeout) == [75])
        #expect(await events.value.failures.map(\.next) == [.released(delaySeconds: 75)])
        let invalid = Consumer(transport: FakeTransport(), configuration: testConfiguration { $0.failureJitter = 2 },
                               handler: .single { _ in })
        await #expect(throws: ConsumerError.self) { try await invalid.run() }
    }

    @Test func eventsAfterTheRunFinishAtOnce() async throws {
        let consumer = Consumer(transport: FakeTransport(), configuration: testConfiguration(), handler: .single { _ in })
        try await runConsumer(consumer) { $0.emptyPolls > 0 }
        var count = 0
        for await _ in consumer.events() { count += 1 }
        #expect(count == 0)
    }
}
