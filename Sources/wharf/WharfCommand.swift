import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import WharfCLI
import WharfEngine
import WharfLogging
import WharfServer

@main
enum WharfMain {
    static func main() async {
        // The server and the load generator do their I/O on NIO's event loops. Running Swift
        // concurrency's jobs on those same threads removes a thread switch each way per
        // request (the profile showed ~20 % of CPU in the scheduler). It must happen before
        // any task is enqueued, hence here, synchronously on the main thread.
        if let command = CommandLine.arguments.dropFirst().first, command == "serve" || command == "bench" {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        await Wharf.main()
    }
}

struct Wharf: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wharf",
        abstract: "A durable message queue server that speaks the Amazon SQS API.",
        subcommands: [Serve.self, Bench.self] + WharfClientCommands.all)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the SQS-compatible server.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 9324
    @Option(help: "Directory for the durable message store.") var dataDir = "./wharf-data"
    @Option(help: "The store: postgres://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=&schema=&pool=] for a database shared by several nodes (also WHARF_STORE); default: SQLite in --data-dir.")
    var store: String?
    @Option(help: "Account id that owns queues (dev mode: every caller maps to it).") var accountId = "000000000000"
    @Option(help: "Region used when a request carries no SigV4 credential scope.") var defaultRegion = "us-east-1"
    @Option(help: "Base URL for queue URLs (e.g. https://sqs.example.com) instead of the request's Host header.")
    var publicURL: String?
    @Option(help: "JSON file of accounts and access keys; requests must then be SigV4-signed with one of them.")
    var credentialsFile: String?
    @Option(help: "Maximum connections open at once; more are closed on arrival.") var maxConnections = 4096
    @Option(help: "Seconds a connection may sit with nothing read or written before it is closed (a long poll in progress keeps it).")
    var idleTimeout: Int64 = 75
    @Option(help: "Received-but-undeleted messages per queue before receives answer OverLimit (AWS: 120000).")
    var maxInflightMessages = 120_000
    @Option(help: "PEM certificate chain: with --tls-key, serve HTTPS only.") var tlsCertificate: String?
    @Option(help: "PEM private key for --tls-certificate.") var tlsKey: String?
    @Option(help: "Bearer token that callers outside this machine must send to read /metrics (also WHARF_METRICS_TOKEN); loopback callers need none.")
    var metricsToken: String?
    @Option(help: "Seconds between two computations of the queue gauges on /metrics (a pass over the messages, on one node).")
    var gaugeInterval = 15
    @Flag(help: "Count nothing and serve no /metrics (to measure what metrics cost).") var noMetrics = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "notice"
    @Option(help: "Log lines as text or json (one object per line).") var logFormat = "text"
    @Flag(help: "Log every request: its id (x-amzn-RequestId), operation, queue, status and latency, at info level.")
    var accessLog = false

    func run() async throws {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = dataDir
        configuration.accountId = accountId
        configuration.defaultRegion = defaultRegion
        configuration.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
        configuration.maxConnections = maxConnections
        configuration.idleTimeoutSeconds = max(1, idleTimeout)
        configuration.limits = EngineLimits(maxInFlightMessages: maxInflightMessages)
        configuration.tlsCertificatePath = tlsCertificate
        configuration.tlsKeyPath = tlsKey
        let environment = ProcessInfo.processInfo.environment
        if let file = credentialsFile ?? environment["WHARF_CREDENTIALS_FILE"] {
            try configuration.credentials.load(file: file)
        }
        configuration.credentials.loadEnvironment(environment, defaultAccount: accountId)
        guard let format = LogFormat(rawValue: logFormat) else { throw ValidationError("--log-format is text or json") }
        guard var level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level is one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // The access log is written at info: let it through.
        if accessLog && level > .info { level = .info }
        let logger = format.logger(label: "wharf", level: level, metadataProvider: RequestScope.metadataProvider)
        configuration.accessLog = accessLog
        configuration.metricsToken = metricsToken ?? environment["WHARF_METRICS_TOKEN"]
        configuration.gaugeIntervalSeconds = max(1, gaugeInterval)
        let selection = try StoreSelection.choose(option: store, environment: environment, dataDirectory: dataDir)
        let metrics = noMetrics ? nil : ServerMetrics()
        let opened = try await selection.open(limits: configuration.limits, metrics: metrics, logger: logger)
        do {
            try await WharfServer.run(configuration, engine: opened.engine, storeDescription: opened.description,
                                      metrics: metrics, diskFree: opened.diskFree, logger: logger)
        } catch {
            await opened.shutdown()
            throw error
        }
        await opened.shutdown()
    }
}
