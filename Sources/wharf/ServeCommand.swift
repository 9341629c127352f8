import ArgumentParser
import Foundation
import Logging
import WharfConfig
import WharfEngine
import WharfLogging
import ServiceLifecycle
import WharfServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the SQS-compatible server.",
        discussion: """
            Every option can also be set in the environment (WHARF_ and the option's name in capitals, \
            e.g. WHARF_DATA_DIR) and in the server: section of a configuration file (--config or \
            WHARF_CONFIG), under the option's name (data-dir). A flag wins over the environment, which \
            wins over the file. The file also declares queues; SIGHUP applies them again.
            """)

    @Option(help: "YAML file with server settings and declared queues (also WHARF_CONFIG).") var config: String?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 9324).") var port: Int?
    @Option(help: "Directory for the durable message store (default ./wharf-data).") var dataDir: String?
    @Option(help: "The store: postgres://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=&schema=&pool=] for a database shared by several nodes; default: SQLite in --data-dir.")
    var store: String?
    @Option(help: "Account id that owns queues (dev mode: every caller maps to it; default 000000000000).")
    var accountId: String?
    @Option(help: "Region used when a request carries no SigV4 credential scope (default us-east-1).")
    var defaultRegion: String?
    @Option(help: "Base URL for queue URLs (e.g. https://sqs.example.com) instead of the request's Host header.")
    var publicURL: String?
    @Option(help: "JSON file of accounts and access keys; requests must then be SigV4-signed with one of them.")
    var credentialsFile: String?
    @Option(help: "Maximum connections open at once; more are closed on arrival (default 4096).") var maxConnections: Int?
    @Option(help: "Seconds a connection may sit with nothing read or written before it is closed (a long poll in progress keeps it; default 75).")
    var idleTimeout: Int?
    @Option(help: "Received-but-undeleted messages per queue before receives answer OverLimit (default, as AWS: 120000).")
    var maxInflightMessages: Int?
    @Option(help: "PEM certificate chain: with --tls-key, serve HTTPS only.") var tlsCertificate: String?
    @Option(help: "PEM private key for --tls-certificate.") var tlsKey: String?
    @Option(help: "Bearer token that callers outside this machine must send to read /metrics; loopback callers need none.")
    var metricsToken: String?
    @Option(help: "Seconds between two computations of the queue gauges on /metrics (a pass over the messages, on one node; default 15).")
    var gaugeInterval: Int?
    @Flag(help: "Count nothing and serve no /metrics (to measure what metrics cost).") var noMetrics = false
    @Option(help: "Seconds SIGTERM waits for requests in progress before closing their connections (default 10).")
    var shutdownTimeout: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default notice).") var logLevel: String?
    @Option(help: "Log lines as text or json (one object per line; default text).") var logFormat: String?
    @Option(help: "SQLite: below this much free disk under --data-dir, sends, new queues, attributes and tags are refused with a retryable 503 and /ready answers 503, while receives and deletes go on (500MB, 1GiB, 5%; 0: off; default 256MiB).")
    var minFreeDisk: String?
    @Flag(help: "Log every request: its id (x-amzn-RequestId), operation, queue, status and latency, at info level.")
    var accessLog = false

    /// What the flags set (nil: not given).
    func flagSettings() throws -> ServerSettings {
        var flags = ServerSettings()
        let given: [(ServerSetting, String?)] = [
            (.host, host), (.port, port.map(String.init)), (.dataDir, dataDir), (.store, store),
            (.accountId, accountId), (.defaultRegion, defaultRegion), (.publicURL, publicURL),
            (.credentialsFile, credentialsFile), (.maxConnections, maxConnections.map(String.init)),
            (.idleTimeout, idleTimeout.map(String.init)), (.maxInflightMessages, maxInflightMessages.map(String.init)),
            (.tlsCertificate, tlsCertificate), (.tlsKey, tlsKey), (.metricsToken, metricsToken),
            (.gaugeInterval, gaugeInterval.map(String.init)), (.metrics, noMetrics ? "false" : nil),
            (.shutdownTimeout, shutdownTimeout.map(String.init)), (.logLevel, logLevel), (.logFormat, logFormat),
            (.accessLog, accessLog ? "true" : nil), (.minFreeDisk, minFreeDisk),
        ]
        for (setting, value) in given {
            do { try flags.set(setting, value) } catch { throw ValidationError("--\(error.reason)") }
        }
        return flags
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configPath = config ?? environment["WHARF_CONFIG"]
        let file: ConfigFile
        do {
            file = try configPath.map { path throws(ConfigError) in try ConfigFile.load(path: path) } ?? ConfigFile()
        } catch {
            throw ValidationError("configuration refused: \(error)")
        }
        let settings: ServerSettings
        do {
            settings = try flagSettings().over(ServerSettings(environment: environment)).over(file.server)
        } catch let error as ConfigError {
            throw ValidationError("\(error)")
        }
        let configuration = try ServerConfiguration(settings, environment: environment)
        let declarations = QueueDeclarations(file.queues, defaultAccount: configuration.accountId,
                                             defaultRegion: configuration.defaultRegion)
        if let configPath {
            do { try declarations.validate(path: configPath) } catch { throw ValidationError("configuration refused: \(error)") }
        }

        let logger = try Self.logger(settings)
        let dataDirectory = configuration.dataDirectory
        let selection = try StoreSelection.choose(settings.text(.store), dataDirectory: dataDirectory)
        let metrics = settings.flag(.metrics) == false ? nil : ServerMetrics()
        let diskFloor = settings.diskFloor(.minFreeDisk) ?? .standard
        let opened = try await selection.open(limits: configuration.limits, metrics: metrics, diskFloor: diskFloor,
                                              logger: logger)
        // Past the graceful bound (and 10 s for the store to close) the process ends anyway.
        let watchdog = ShutdownWatchdog(seconds: Double(configuration.shutdownTimeoutSeconds) + 10, logger: logger)
        defer { watchdog.disarm() }
        do {
            var services: [any Service] = [ShutdownWatchdogService(watchdog)]
            if let configPath {
                // Declared queues exist before the first request is served.
                let report = try await declarations.apply(to: opened.engine, logger: logger)
                logger.notice("declared queues from \(configPath): \(report)")
                services.append(ConfigReloader(path: configPath, server: file.server, engine: opened.engine,
                                               defaultAccount: configuration.accountId,
                                               defaultRegion: configuration.defaultRegion, logger: logger))
            }
            try await WharfServer.run(configuration, engine: opened.engine, storeDescription: opened.description,
                                      metrics: metrics, diskFree: opened.diskFree, services: services, logger: logger)
        } catch {
            await opened.shutdown()
            throw error
        }
        await opened.shutdown()
        logger.notice("Wharf stopped")
    }

    static func logger(_ settings: ServerSettings) throws -> Logger {
        guard let format = LogFormat(rawValue: settings.text(.logFormat) ?? "text") else {
            throw ValidationError("log-format is text or json")
        }
        guard var level = Logger.Level(rawValue: settings.text(.logLevel) ?? "notice") else {
            throw ValidationError("log-level is one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // The access log is written at info: let it through.
        if settings.flag(.accessLog) == true && level > .info { level = .info }
        return format.logger(label: "wharf", level: level, metadataProvider: RequestScope.metadataProvider)
    }
}

extension ServerConfiguration {
    /// The configuration the layered settings describe; what none sets keeps its default.
    init(_ settings: ServerSettings, environment: [String: String]) throws {
        self.init()
        host = settings.text(.host) ?? host
        port = settings.number(.port) ?? port
        dataDirectory = settings.text(.dataDir) ?? dataDirectory
        accountId = settings.text(.accountId) ?? accountId
        defaultRegion = settings.text(.defaultRegion) ?? defaultRegion
        publicURL = settings.text(.publicURL).map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        tlsCertificatePath = settings.text(.tlsCertificate)
        tlsKeyPath = settings.text(.tlsKey)
        guard (tlsCertificatePath == nil) == (tlsKeyPath == nil) else {
            throw ValidationError("tls-certificate and tls-key go together")
        }
        maxConnections = settings.number(.maxConnections) ?? maxConnections
        idleTimeoutSeconds = max(1, Int64(settings.number(.idleTimeout) ?? Int(idleTimeoutSeconds)))
        limits = EngineLimits(maxInFlightMessages: settings.number(.maxInflightMessages) ?? limits.maxInFlightMessages)
        metricsToken = settings.text(.metricsToken)
        gaugeIntervalSeconds = max(1, settings.number(.gaugeInterval) ?? gaugeIntervalSeconds)
        shutdownTimeoutSeconds = Int64(settings.number(.shutdownTimeout) ?? Int(shutdownTimeoutSeconds))
        accessLog = settings.flag(.accessLog) ?? false
        if let file = settings.text(.credentialsFile) { try credentials.load(file: file) }
        credentials.loadEnvironment(environment, defaultAccount: accountId)
    }
}
