import Foundation
import Logging
import PostgresNIO
import SQSModel
import Synchronization
import Testing
import WharfEngine
@testable import WharfPostgres
@testable import WharfSQLite

/// The caller every test uses unless it needs another account or region.
let ctx = CallContext(accountId: "000000000000", region: "us-east-1",
                      endpoint: "http://localhost:9324", senderId: "AKIDTEST")

/// A fresh temporary directory for one store.
func freshDirectory() -> String {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("wharf-engine-tests-\(UUID().uuidString)").path
    return dir
}

/// Which store the engine tests run against: the embedded SQLite store, or — when
/// `WHARF_TEST_POSTGRES` holds a `postgres://` URL — the PostgreSQL store, each harness in a
/// schema of its own. The same tests, unchanged, are the contract both stores must keep.
enum StoreUnderTest: Sendable, Equatable {
    case sqlite
    case postgres(String)

    static let current: StoreUnderTest = {
        if let url = ProcessInfo.processInfo.environment["WHARF_TEST_POSTGRES"], !url.isEmpty { return .postgres(url) }
        return .sqlite
    }()

    static var isSQLite: Bool { current == .sqlite }

    /// A store for `directory`: the SQLite file in it, or the PostgreSQL schema named after it
    /// (so that "reopening a directory" reopens the same schema).
    func open(_ directory: String) async throws -> any MessageStore {
        switch self {
        case .sqlite:
            return try await SQLiteMessageStore.open(directory: directory)
        case .postgres(let url):
            var configuration = try PostgresStoreConfiguration(url: url)
            configuration.schema = "t_" + String(UInt64(bitPattern: Int64(directory.hashValue)), radix: 36)
                + String(directory.utf8.count)
            configuration.maximumConnections = 3
            var logger = Logger(label: "wharf.test")
            logger.logLevel = .warning
            return try await PostgresMessageStore.connect(configuration, connectTimeout: .seconds(10), logger: logger)
        }
    }
}

/// One engine over one fresh store, driven by a manual clock.
final class Harness: Sendable {
    let directory: String
    let clock: ManualClock
    let store: any MessageStore
    let engine: SQSEngine
    let removeOnDeinit: Bool

    init(directory: String = freshDirectory(), clock: ManualClock = ManualClock(),
         limits: EngineLimits = EngineLimits(), removeOnDeinit: Bool = true, nodeId: String = "local",
         admission: any WriteAdmission = AdmitEveryWrite()) async throws {
        self.directory = directory
        self.clock = clock
        let store = try await StoreUnderTest.current.open(directory)
        self.store = store
        let bus: any ClusterBus = (store as? PostgresMessageStore)?.bus ?? SingleNodeBus()
        self.engine = try await SQSEngine(store: store, clock: clock, limits: limits, bus: bus, nodeId: nodeId,
                                          admission: admission)
        self.removeOnDeinit = removeOnDeinit
    }

    /// A second node: another store instance on the same database (file or schema) and its
    /// own engine, with the same clock.
    init(sharing other: Harness, nodeId: String) async throws {
        directory = other.directory
        clock = other.clock
        let store = try await StoreUnderTest.current.open(other.directory)
        self.store = store
        let bus: any ClusterBus = (store as? PostgresMessageStore)?.bus ?? SingleNodeBus()
        engine = try await SQSEngine(store: store, clock: clock, bus: bus, nodeId: nodeId)
        removeOnDeinit = false
    }

    deinit {
        if let postgres = store as? PostgresMessageStore {
            Task { await postgres.shutdown() }
        } else if removeOnDeinit {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The SQLite store, when that is the store under test.
    var sqlite: SQLiteMessageStore? { store as? SQLiteMessageStore }

    /// Rows of the FIFO group table, in either store.
    func fifoGroupRows() async throws -> Int {
        if let sqlite {
            return try await sqlite.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fifo_groups") ?? -1 }
        }
        let postgres = try #require(store as? PostgresMessageStore)
        for try await count in try await postgres.client.query("SELECT count(*) FROM fifo_groups").decode(Int64.self) {
            return Int(count)
        }
        return -1
    }

    // MARK: Shorthands

    @discardableResult
    func createQueue(_ name: String, _ attributes: [String: String]? = nil, tags: [String: String]? = nil,
                     in context: CallContext = ctx) async throws -> String {
        try await engine.createQueue(CreateQueueRequest(QueueName: name, Attributes: attributes, tags: tags), context).QueueUrl
    }

    @discardableResult
    func send(_ url: String, _ body: String, delay: Int? = nil, attributes: MessageAttributes? = nil,
              in context: CallContext = ctx) async throws -> SendMessageResponse {
        try await engine.sendMessage(SendMessageRequest(QueueUrl: url, MessageBody: body, DelaySeconds: delay,
                                                        MessageAttributes: attributes), context)
    }

    func receive(_ url: String, max: Int? = nil, visibility: Int? = nil, wait: Int? = 0,
                 system: [String]? = nil, attributeNames: [String]? = nil,
                 messageAttributes: [String]? = nil, attemptId: String? = nil,
                 in context: CallContext = ctx) async throws -> [Message] {
        try await engine.receiveMessage(
            ReceiveMessageRequest(QueueUrl: url, AttributeNames: attributeNames, MessageSystemAttributeNames: system,
                                  MessageAttributeNames: messageAttributes, MaxNumberOfMessages: max,
                                  VisibilityTimeout: visibility, WaitTimeSeconds: wait,
                                  ReceiveRequestAttemptId: attemptId), context).Messages ?? []
    }

    /// A send with a message group and an optional deduplication id (FIFO and fair queues).
    @discardableResult
    func send(_ url: String, _ body: String, group: String, dedup: String? = nil,
              delay: Int? = nil) async throws -> SendMessageResponse {
        try await engine.sendMessage(SendMessageRequest(QueueUrl: url, MessageBody: body, DelaySeconds: delay,
                                                        MessageDeduplicationId: dedup, MessageGroupId: group), ctx)
    }

    func setAttributes(_ url: String, _ attributes: [String: String]) async throws {
        _ = try await engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: attributes), ctx)
    }

    func delete(_ url: String, _ handle: String) async throws {
        _ = try await engine.deleteMessage(DeleteMessageRequest(QueueUrl: url, ReceiptHandle: handle), ctx)
    }

    func changeVisibility(_ url: String, _ handle: String, _ timeout: Int) async throws {
        _ = try await engine.changeMessageVisibility(
            ChangeMessageVisibilityRequest(QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: timeout), ctx)
    }

    func attributes(_ url: String, _ names: [String] = ["All"], in context: CallContext = ctx) async throws -> [String: String] {
        try await engine.getQueueAttributes(GetQueueAttributesRequest(QueueUrl: url, AttributeNames: names), context)
            .Attributes ?? [:]
    }

    /// (visible, not visible, delayed)
    func counts(_ url: String) async throws -> (Int, Int, Int) {
        let a = try await attributes(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                                           "ApproximateNumberOfMessagesDelayed"])
        return (Int(a["ApproximateNumberOfMessages"] ?? "") ?? -1,
                Int(a["ApproximateNumberOfMessagesNotVisible"] ?? "") ?? -1,
                Int(a["ApproximateNumberOfMessagesDelayed"] ?? "") ?? -1)
    }
}

/// Runs `body`, which must fail with an `SQSError`, and returns that error.
func sqsError(sourceLocation: SourceLocation = #_sourceLocation,
              _ body: () async throws -> Void) async -> SQSError? {
    do {
        try await body()
        Issue.record("expected an SQSError, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as SQSError {
        return error
    } catch {
        Issue.record("expected an SQSError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Asserts that `body` fails with the given query code (and status / message when given).
func expectSQSError(_ queryCode: String, status: Int = 400, message: String? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: () async throws -> Void) async {
    guard let error = await sqsError(sourceLocation: sourceLocation, body) else { return }
    #expect(error.queryCode == queryCode, sourceLocation: sourceLocation)
    #expect(error.httpStatus == status, sourceLocation: sourceLocation)
    if let message { #expect(error.message == message, sourceLocation: sourceLocation) }
}

/// Waits (bounded, in real time) until `condition` holds, for something another task does.
/// Only ever waits for something to happen: that something did *not* happen is shown from the
/// clock's sleepers instead (see `waitUntilParked(_:until:)`). Records an issue and returns
/// false if the condition never held.
@discardableResult
func waitUntil(_ what: String, sourceLocation: SourceLocation = #_sourceLocation,
               _ condition: () async throws -> Bool) async rethrows -> Bool {
    for _ in 0..<5000 {
        if try await condition() { return true }
        await Task.yield()
        try? await Task.sleep(nanoseconds: 1_000_000)
    }
    Issue.record("gave up waiting for \(what)", sourceLocation: sourceLocation)
    return false
}

/// Waits until at least `count` tasks sleep on the clock, i.e. until a long poll (or a move
/// task between steps) has parked.
@discardableResult
func waitUntilParked(_ clock: ManualClock, count: Int = 1,
                     sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
    await waitUntil("\(count) sleepers on the clock", sourceLocation: sourceLocation) { clock.sleeperCount >= count }
}

/// Waits until the tasks sleeping on the clock are exactly those due at `deadlines`: the long
/// polls are parked until those times. From then on a poll can only return when something
/// wakes it (a send, a visibility change) or when `advance` reaches its deadline — which is how
/// the tests show, without waiting in real time, that a poll has *not* returned.
@discardableResult
func waitUntilParked(_ clock: ManualClock, until deadlines: Int64...,
                     sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
    await waitUntil("sleepers due at \(deadlines)", sourceLocation: sourceLocation) {
        clock.sleeperDeadlines == deadlines.sorted()
    }
}

/// A flag set from another task.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

func string(_ value: String, type: String = "String") -> MessageAttributeValue {
    MessageAttributeValue(dataType: type, stringValue: value)
}

func binary(_ bytes: [UInt8], type: String = "Binary") -> MessageAttributeValue {
    MessageAttributeValue(dataType: type, binaryValue: Data(bytes))
}
