import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import WharfClient
import WharfConsumer
import WharfExpression
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `wharf listen`: the inbound connector on the command line.
public struct ListenCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Consume a queue: filter (--when), map (--map) and hand each message to a handler.",
        discussion: """
        The handler is --exec CMD (the mapped message as JSON on stdin; exit status 0 = success), \
        --post URL (HTTP POST of the JSON; 2xx = success), or, without either, a JSON line per \
        message on stdout. Successful messages are deleted; failed ones follow --on-failure. \
        SIGINT/SIGTERM stop polling, release unstarted messages and wait for running handlers.
        """)
    public init() {}

    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Queue name or URL.") var queue: String
    @Option(help: "Activation condition (FEEL); only messages for which it is exactly true are handled.")
    var when: String?
    @Option(help: "Result mapping (FEEL), e.g. '={id: body.id, messageId: messageId}'.") var map: String?
    @Option(help: "Put the whole message object under this name in the output.") var resultVariable: String?
    @Option(help: "Messages per receive, 1...10.") var maxMessages = 10
    @Option(help: "Messages handled at once, at most.") var concurrency = 10
    @Option(help: "Long-poll seconds, 0...20.") var wait = 20
    @Option(help: "VisibilityTimeout to receive with (default: the queue's).") var visibility: Int?
    @Option(help: "Unmatched messages: delete or leave.") var unmatched = "delete"
    @Option(help: "Acknowledge: on-success or always.") var ack = "on-success"
    @Option(help: "Failed messages: release (visible now), delay:N (after N s), backoff[:INITIAL[:CAP]] (by receive count), or wait (visibility timeout).")
    var onFailure = "release"
    @Option(help: "Seconds a handler may run; longer counts as a failure.") var handlerTimeout: Double?
    @Option(help: "Shell command per message (message JSON on stdin; exit 0 = success).") var exec: String?
    @Option(help: "URL to POST each message to (2xx = success).") var post: String?
    @Option(help: "Stop after this many messages were handled (processed, failed or unmatched).") var count: Int?
    @Option(help: "Seconds running handlers get to finish on shutdown.") var grace: Double = 30
    @Flag(help: "Disable the visibility heartbeat for slow handlers.") var noHeartbeat = false
    @Flag(help: "Print the counters to stderr on exit.") var stats = false

    public func validate() throws {
        if exec != nil && post != nil { throw ValidationError("--exec and --post exclude each other") }
        guard UnmatchedPolicy(rawValue: unmatched) != nil else { throw ValidationError("--unmatched is delete or leave") }
        guard ["on-success", "always"].contains(ack) else { throw ValidationError("--ack is on-success or always") }
        _ = try Self.failurePolicy(onFailure)
    }

    static func failurePolicy(_ text: String) throws -> FailurePolicy {
        let parts = text.split(separator: ":").map(String.init)
        switch parts.first {
        case "release" where parts.count == 1: return .releaseImmediately
        case "wait" where parts.count == 1: return .visibilityTimeout
        case "delay" where parts.count == 2:
            if let seconds = Int(parts[1]), (0...43200).contains(seconds) { return .releaseAfter(seconds: seconds) }
        case "backoff" where parts.count <= 3:
            let initial = parts.count > 1 ? Int(parts[1]) : 1
            let cap = parts.count > 2 ? Int(parts[2]) : 43200
            if let initial, let cap, initial >= 0, cap >= 0 {
                return .exponential(initialSeconds: initial, multiplier: 2, capSeconds: min(cap, 43200))
            }
        default: break
        }
        throw ValidationError("--on-failure is release, delay:N, backoff[:INITIAL[:CAP]] or wait; got \(text)")
    }

    func consumerConfiguration() throws -> ConsumerConfiguration {
        var configuration = ConsumerConfiguration(queue: queue)
        configuration.waitTimeSeconds = wait
        configuration.maxMessages = maxMessages
        configuration.concurrency = concurrency
        configuration.visibilityTimeout = visibility
        do {
            configuration.condition = try when.map { try FEELExpression(parsing: $0) }
        } catch { throw ValidationError("--when: \(error)") }
        do {
            configuration.resultExpression = try map.map { try FEELExpression(parsing: $0) }
        } catch { throw ValidationError("--map: \(error)") }
        configuration.resultVariable = resultVariable
        configuration.onUnmatched = UnmatchedPolicy(rawValue: unmatched) ?? .delete
        configuration.acknowledgement = ack == "always" ? .always : .onSuccess
        configuration.onFailure = try Self.failurePolicy(onFailure)
        configuration.handlerTimeout = handlerTimeout.map { .seconds($0) }
        configuration.shutdownGracePeriod = .seconds(grace)
        if noHeartbeat { configuration.heartbeat = nil }
        return configuration
    }

    public func run() async throws {
        let configuration = try consumerConfiguration()
        let client = try options.makeClient()
        let environment = CLIEnvironment.current
        let handler: Consumer.Handler
        if let exec {
            handler = { message in try await ListenCommand.runExec(exec, message: message) }
        } else if let post {
            guard let url = URL(string: post), url.host != nil else { throw ValidationError("--post needs a URL") }
            let timeout = handlerTimeout ?? 30
            handler = { message in try await ListenCommand.post(message, to: url.absoluteString, timeout: timeout) }
        } else {
            handler = { message in environment.out(message.output.jsonString()) }
        }
        let consumer = Consumer(client: client, configuration: configuration, handler: handler)
        var signalSources: [any DispatchSourceSignal] = []
        if environment.handlesSignals {
            signal(SIGPIPE, SIG_IGN)
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number)
                let stops = Locked(0)
                source.setEventHandler {
                    // A second signal does not wait for the grace period.
                    if stops.increment() > 1 { Foundation.exit(130) }
                    environment.err("stopping: releasing unstarted messages, waiting for running handlers")
                    consumer.stop()
                }
                source.resume()
                signalSources.append(source)
            }
        }
        let watcher: Task<Void, Never>? = count.map { limit in
            Task {
                while !Task.isCancelled {
                    let c = consumer.counters
                    if c.processed + c.failed + c.unmatched >= limit { consumer.stop(); return }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        defer {
            watcher?.cancel()
            for source in signalSources { source.cancel() }
        }
        try await consumer.run()
        if stats {
            environment.err(try jsonText(consumer.counters))
        }
    }

    // MARK: Handlers

    struct HandlerFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `/bin/sh -c command` with the message JSON on stdin; exit status 0 is success.
    /// Cancellation (handler timeout, shutdown) terminates the process.
    static func runExec(_ command: String, message: ConsumerMessage) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["WHARF_MESSAGE_ID"] = message.messageId
        environment["WHARF_RECEIVE_COUNT"] = String(message.receiveCount)
        environment["WHARF_QUEUE_URL"] = message.object["queueUrl"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        process.environment = environment
        let input = Pipe()
        process.standardInput = input
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: HandlerFailure(description: "cannot run /bin/sh: \(error)"))
                    return
                }
                let data = message.output.jsonData() + Data("\n".utf8)
                let writer = input.fileHandleForWriting
                DispatchQueue.global().async {
                    try? writer.write(contentsOf: data)
                    try? writer.close()
                }
            }
        } onCancel: {
            if process.isRunning { process.terminate() }
        }
        if status != 0 {
            let reason = process.terminationReason == .uncaughtSignal ? "killed by signal \(status)" : "exit status \(status)"
            throw HandlerFailure(description: "\(command): \(reason)")
        }
    }

    /// POSTs the message JSON; a 2xx status is success.
    static func post(_ message: ConsumerMessage, to url: String, timeout: Double) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Wharf-Message-Id", value: message.messageId)
        request.body = .bytes(ByteBuffer(bytes: message.output.jsonData()))
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        _ = try? await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw HandlerFailure(description: "POST \(url): HTTP \(response.status.code)")
        }
    }
}

/// A counter behind a lock.
final class Locked: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int
    init(_ value: Int) { self.value = value }
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value
    }
}
