import ArgumentParser
import Foundation
import Logging
import WharfLogging
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
        message on stdout. Successful messages are deleted; failed ones follow --on-failure.

        With --batch N (1...10) the handler gets the matched messages of one receive (at most N) as \
        one JSON array and reports the failed ones as AWS Lambda's ReportBatchItemFailures does: \
        {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]} on stdout (--exec) or as the \
        response body (--post). No output means all succeeded; a non-zero exit, a non-2xx status, \
        output that is not such JSON, or an id not in the batch fail the whole batch. Keep \
        messageId in --map (or use --result-variable) so the handler can name messages.

        Every failure is logged on stderr with the queue, message id, receive count, the cause \
        (exit status and the end of stderr for --exec, HTTP status for --post, the expression \
        and the position of its error) and what happens next; failed receives and deletes with \
        the SQS error code; bad credentials back off (30 s at least) and are logged as warnings. \
        --log-format json writes one JSON object per line.

        --metrics-port serves the counters and the handler latency histogram at \
        http://HOST:PORT/metrics in Prometheus text format (--metrics-host, default 127.0.0.1).

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
    @Option(help: "Seconds between visibility extensions of messages still being handled (default: a third of the visibility timeout).")
    var heartbeatInterval: Double?
    @Option(help: "VisibilityTimeout each heartbeat sets, in seconds (default: the visibility timeout in effect).")
    var heartbeatExtend: Int?
    @Flag(help: "Disable the visibility heartbeat for slow handlers.") var noHeartbeat = false
    @Option(help: "0...1: a failure delay d becomes random in d*(1-J)...d, so failures of an outage do not return together.")
    var jitter: Double = 0
    @Option(name: .customLong("attribute-name"), parsing: .singleValue,
            help: "System attribute to receive and show in `attributes` (repeatable or comma-separated; none = All).")
    var attributeNames: [String] = []
    @Option(name: .customLong("message-attribute-name"), parsing: .singleValue,
            help: "Message attribute to receive and show in `messageAttributes` (repeatable or comma-separated; prefix.* allowed; none = All).")
    var messageAttributeNames: [String] = []
    @Option(help: "Batch handler mode: hand up to N (1...10) matched messages of a receive to the handler as one JSON array.")
    var batch: Int?
    @Flag(help: "A body that is an SNS notification yields its Message as the body and its MessageAttributes as attributes.")
    var unwrapSns = false
    @Option(help: "Serve Prometheus metrics on this port (0: any free port, logged at start).") var metricsPort: Int?
    @Option(help: "Address the metrics endpoint binds to.") var metricsHost = "127.0.0.1"
    @Option(help: "Log lines on stderr: text or json.") var logFormat = "text"
    @Option(help: "Least severe level logged: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Flag(help: "Print the counters to stderr on exit.") var stats = false

    public func validate() throws {
        if exec != nil && post != nil { throw ValidationError("--exec and --post exclude each other") }
        guard UnmatchedPolicy(rawValue: unmatched) != nil else { throw ValidationError("--unmatched is delete or leave") }
        guard ["on-success", "always"].contains(ack) else { throw ValidationError("--ack is on-success or always") }
        _ = try Self.failurePolicy(onFailure)
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log-format is text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level is one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let batch, !(1...10).contains(batch) { throw ValidationError("--batch is 1...10 (the messages of one receive)") }
        guard (0...1).contains(jitter) else { throw ValidationError("--jitter is 0...1") }
        if let metricsPort, !(0...65535).contains(metricsPort) { throw ValidationError("--metrics-port is 0...65535") }
        if let heartbeatInterval, heartbeatInterval <= 0 { throw ValidationError("--heartbeat-interval must be positive") }
        if let heartbeatExtend, !(1...43200).contains(heartbeatExtend) { throw ValidationError("--heartbeat-extend is 1...43200") }
    }

    /// Names given as repeated options, comma-separated lists, or both.
    static func names(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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

    func consumerConfiguration(logger: Logger? = nil) throws -> ConsumerConfiguration {
        var configuration = ConsumerConfiguration(queue: queue)
        configuration.waitTimeSeconds = wait
        configuration.maxMessages = batch.map { min($0, maxMessages) } ?? maxMessages
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
        if noHeartbeat {
            configuration.heartbeat = nil
        } else {
            configuration.heartbeat = Heartbeat(interval: heartbeatInterval.map { .seconds($0) }, extendTo: heartbeatExtend)
        }
        configuration.failureJitter = jitter
        configuration.systemAttributeNames = (Self.names(attributeNames).nilIfEmpty ?? ["All"])
            .map(MessageSystemAttributeName.init(rawValue:))
        configuration.messageAttributeNames = Self.names(messageAttributeNames).nilIfEmpty ?? ["All"]
        configuration.unwrapSNS = unwrapSns
        if let logger { configuration.logger = logger }
        return configuration
    }

    /// The listener's logger: stderr through the CLI environment, in the chosen format.
    func makeLogger(_ environment: CLIEnvironment) -> Logger {
        let format = LogFormat(rawValue: logFormat) ?? .text
        var logger = Logger(label: "wharf.listen") { label in
            LineLogHandler(label: label, format: format, write: environment.err)
        }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }

    public func run() async throws {
        let environment = CLIEnvironment.current
        let logger = makeLogger(environment)
        let configuration = try consumerConfiguration(logger: logger)
        let client = try options.makeClient()
        let consumer = try makeConsumer(client: client, configuration: configuration, environment: environment)
        var metrics: MetricsServer?
        if let metricsPort {
            let queue = queue
            metrics = try await MetricsServer.start(host: metricsHost, port: metricsPort, contentType: PrometheusExposition.contentType) {
                PrometheusExposition.render(counters: consumer.counters, latency: consumer.handlerLatency, queue: queue)
            }
            logger.info("metrics at http://\(metricsHost):\(metrics?.port ?? metricsPort)/metrics",
                        metadata: ["metricsPort": "\(metrics?.port ?? metricsPort)"])
        }
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
        do {
            try await consumer.run()
        } catch {
            await metrics?.stop()
            throw error
        }
        await metrics?.stop()
        if stats {
            environment.err(try jsonText(consumer.counters))
        }
    }

    /// The consumer with the handler the options choose: --exec, --post or JSON lines on
    /// stdout, per message or (--batch) per receive.
    func makeConsumer(client: SQSClient, configuration: ConsumerConfiguration,
                      environment: CLIEnvironment) throws -> Consumer {
        let post: PostHandler?
        if let url = self.post {
            guard let parsed = URL(string: url), parsed.host != nil else { throw ValidationError("--post needs a URL") }
            post = PostHandler(url: parsed.absoluteString, timeout: handlerTimeout ?? 30)
        } else {
            post = nil
        }
        let exec = self.exec.map(ExecHandler.init(command:))
        if batch != nil {
            let handler: Consumer.BatchHandler
            if let exec {
                handler = { try await exec.handle(batch: $0) }
            } else if let post {
                handler = { try await post.handle(batch: $0) }
            } else {
                handler = { batch in
                    environment.out(String(decoding: BatchInput.json(batch), as: UTF8.self))
                    return .success
                }
            }
            return Consumer(client: client, configuration: configuration, batchHandler: handler)
        }
        let handler: Consumer.Handler
        if let exec {
            handler = { try await exec.handle($0) }
        } else if let post {
            handler = { try await post.handle($0) }
        } else {
            handler = { message in environment.out(message.output.jsonString()) }
        }
        return Consumer(client: client, configuration: configuration, handler: handler)
    }
}

extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
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
