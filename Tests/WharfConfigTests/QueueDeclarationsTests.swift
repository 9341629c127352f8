import Foundation
import Logging
import SQSModel
import Testing
import WharfConfig
import WharfEngine
import WharfSQLite

/// Applying declared queues to an engine: create what is missing (dead-letter queues first),
/// update what differs, delete nothing.
@Suite struct QueueDeclarationsTests {
    let ctx = CallContext(accountId: "000000000000", region: "us-east-1", endpoint: "http://localhost", senderId: "t")
    let logger = Logger(label: "test")

    func engine() async throws -> SQSEngine {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-config-\(UUID().uuidString)").path
        return try await SQSEngine(store: SQLiteMessageStore.open(directory: directory), clock: ManualClock())
    }

    func declarations(_ yaml: String) throws -> QueueDeclarations {
        let file = try ConfigFile.parse(yaml, path: "w.yaml")
        let declarations = QueueDeclarations(file.queues, defaultAccount: "000000000000", defaultRegion: "us-east-1")
        try declarations.validate(path: "w.yaml")
        return declarations
    }

    func attributes(_ engine: SQSEngine, _ name: String) async throws -> [String: String] {
        try await engine.getQueueAttributes(GetQueueAttributesRequest(QueueUrl: name, AttributeNames: ["All"]), ctx).Attributes ?? [:]
    }

    let file = """
        queues:
          - name: jobs
            attributes: { VisibilityTimeout: 45 }
            dead-letter: { queue: jobs-dlq, max-receive-count: 4 }
            tags: { team: a }
          - name: jobs-dlq
          - name: events.fifo
            attributes: { ContentBasedDeduplication: true }
        """

    @Test func createsDeadLetterQueuesFirstThenNothingTwice() async throws {
        let engine = try await engine()
        let report = try await declarations(file).apply(to: engine, logger: logger)
        #expect(report.created == ["jobs-dlq", "jobs", "events.fifo"])
        let jobs = try await attributes(engine, "jobs")
        #expect(jobs["VisibilityTimeout"] == "45")
        #expect(jobs["RedrivePolicy"] == #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:jobs-dlq","maxReceiveCount":4}"#)
        #expect(try await attributes(engine, "events.fifo")["FifoQueue"] == "true")
        // Applied again (a SIGHUP, another node, a restart): nothing to do.
        let again = try await declarations(file).apply(to: engine, logger: logger)
        #expect(again == .init(created: [], updated: [], unchanged: 3))
    }

    @Test func updatesWhatDiffersAndKeepsTheRest() async throws {
        let engine = try await engine()
        _ = try await declarations(file).apply(to: engine, logger: logger)
        _ = try await engine.sendMessage(SendMessageRequest(QueueUrl: "jobs", MessageBody: "kept"), ctx)
        _ = try await engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: "jobs", Attributes: ["DelaySeconds": "3"]), ctx)
        _ = try await engine.tagQueue(TagQueueRequest(QueueUrl: "jobs", Tags: ["owner": "ops"]), ctx)
        let changed = file.replacingOccurrences(of: "VisibilityTimeout: 45", with: "VisibilityTimeout: 50")
            .replacingOccurrences(of: "team: a", with: "team: b")
            .replacingOccurrences(of: "  - name: events.fifo\n    attributes: { ContentBasedDeduplication: true }", with: "")
        let report = try await declarations(changed).apply(to: engine, logger: logger)
        #expect(report == .init(created: [], updated: ["jobs"], unchanged: 1))
        let jobs = try await attributes(engine, "jobs")
        #expect(jobs["VisibilityTimeout"] == "50")
        #expect(jobs["DelaySeconds"] == "3")
        #expect(jobs["ApproximateNumberOfMessagesDelayed"] == "0")
        #expect(jobs["ApproximateNumberOfMessages"] == "1")
        #expect(try await engine.listQueueTags(ListQueueTagsRequest(QueueUrl: "jobs"), ctx).Tags == ["team": "b", "owner": "ops"])
        // Dropped from the file, still there.
        #expect(try await attributes(engine, "events.fifo")["FifoQueue"] == "true")
    }

    @Test(arguments: [
        ("queues:\n  - name: a\n    attributes: { VisibilityTimeout: 43201 }\n", "queue a: Invalid value for the parameter VisibilityTimeout"),
        ("queues:\n  - name: a\n    attributes: { Colour: blue }\n", "queue a: Unknown Attribute Colour."),
        ("queues:\n  - name: a.fifo\n    attributes: { FifoQueue: false }\n", "queue a.fifo: The name of a FIFO queue"),
        ("queues:\n  - name: has space\n", "queue has space: Can only include alphanumeric characters"),
        ("queues:\n  - name: a\n    tags: { aws:x: y }\n", "queue a: "),
    ])
    func refusesWhatCreateQueueWouldRefuse(yaml: String, reason: String) {
        do {
            _ = try declarations(yaml)
            Issue.record("accepted \(yaml)")
        } catch let error as ConfigError {
            #expect(error.line == 2)
            #expect(error.reason.hasPrefix(reason), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func twoEnginesOnOneStoreApplyingAtOnceAgree() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-config-\(UUID().uuidString)").path
        let store = try SQLiteMessageStore(directory: directory)
        let a = try await SQSEngine(store: store, clock: ManualClock(), nodeId: "a")
        let b = try await SQSEngine(store: store, clock: ManualClock(), nodeId: "b")
        let many = file + "\n" + (0..<20).map { "  - name: q\($0)\n    attributes: { DelaySeconds: \($0 % 10) }" }.joined(separator: "\n")
        let d = try declarations(many)
        async let first = d.apply(to: a, logger: logger)
        async let second = d.apply(to: b, logger: logger)
        let reports = try await [first, second]
        #expect(reports.map { $0.created.count + $0.unchanged }.allSatisfy { $0 == 23 })
        #expect(Set(reports.flatMap(\.created)).count == 23)
        #expect(try await attributes(a, "q7")["DelaySeconds"] == "7")
    }
}
