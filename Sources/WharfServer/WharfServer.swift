import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import WharfEngine

/// Serves the SQS endpoint for an engine until SIGINT/SIGTERM. Which store the engine runs on
/// is decided by the caller (`wharf serve`): the server only speaks HTTP.
public enum WharfServer {
    public enum StartError: Error, CustomStringConvertible {
        case credentialsRequired(String)
        public var description: String {
            switch self {
            case .credentialsRequired(let host):
                return "refusing to listen on \(host) without credentials: configure --credentials-file or WHARF_ACCESS_KEY_ID/WHARF_SECRET_ACCESS_KEY, or bind to 127.0.0.1"
            }
        }
    }

    public static func run(_ configuration: ServerConfiguration, engine: SQSEngine, storeDescription: String,
                           metrics: ServerMetrics? = nil, diskFree: @escaping @Sendable () -> Int64? = { nil },
                           logger: Logger) async throws {
        if configuration.credentials.isEmpty {
            guard configuration.isLoopback else { throw StartError.credentialsRequired(configuration.host) }
            logger.warning("DEV MODE: no credentials configured. Signatures are NOT verified; every request is accepted and acts as account \(configuration.accountId). Configure --credentials-file before exposing this server.")
        } else {
            logger.notice("SigV4 verification on: \(configuration.credentials.entries.count) access key(s) configured")
        }
        let application = try makeApplication(engine: engine, configuration: configuration,
                                              storeDescription: storeDescription, metrics: metrics, diskFree: diskFree,
                                              logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Cluster events, move tasks nobody runs, retention sweeps (receives skip expired
                // messages in between anyway).
                await engine.runBackgroundWork(sweepIntervalMillis: Int64(configuration.expirySweepSeconds) * 1000,
                                               statsIntervalMillis: Int64(configuration.gaugeIntervalSeconds) * 1000)
            }
            group.addTask { try await application.runService() }
            // The application returns on a shutdown signal; stop the background work with it.
            try await group.next()
            group.cancelAll()
        }
    }

    /// The Hummingbird application for an engine: its listener, TLS and graceful shutdown.
    /// Connections are served by SQSChannelHandler (see `serverBuilder`).
    public static func makeApplication(engine: SQSEngine, configuration: ServerConfiguration,
                                       storeDescription: String = "", metrics: ServerMetrics? = nil,
                                       diskFree: @escaping @Sendable () -> Int64? = { nil },
                                       logger: Logger) throws -> some ApplicationProtocol {
        let connections = ConnectionLimiter.Counter(limit: configuration.maxConnections)
        let service = makeService(engine: engine, configuration: configuration, metrics: metrics,
                                  diskFree: diskFree, connections: connections, logger: logger)
        return Application(
            // Never called: Hummingbird's request path is not used (SQSChannelHandler's comment says why).
            responder: CallbackResponder { (_: Request, _: BasicRequestContext) in Response(status: .notFound) },
            server: try serverBuilder(configuration, service: service, connections: connections),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: nil),
            onServerRunning: { channel in
                logger.notice("Wharf is listening on \(configuration.usesTLS ? "https" : "http")://\(configuration.host):\(configuration.port) (\(storeDescription), account \(configuration.accountId))")
            },
            logger: logger)
    }

    /// What serves every request: the dispatcher over the engine, authentication, `/metrics`.
    static func makeService(engine: SQSEngine, configuration: ServerConfiguration, metrics: ServerMetrics?,
                            diskFree: @escaping @Sendable () -> Int64?, connections: ConnectionLimiter.Counter,
                            logger: Logger) -> SQSService {
        let endpoint = metrics.map {
            MetricsEndpoint(metrics: $0, engine: engine, token: configuration.metricsToken,
                            connections: { connections.open.load(ordering: .relaxed) }, diskFree: diskFree)
        }
        return SQSService(
            dispatcher: OperationDispatcher(engine: engine, metrics: metrics, logger: logger,
                                            accessLog: configuration.accessLog), configuration: configuration,
            authenticator: Authenticator(credentials: configuration.credentials, defaultAccount: configuration.accountId),
            metrics: endpoint)
    }

    /// HTTP/1.1 served by SQSChannelHandler, wrapped in TLS when a certificate and key are
    /// configured. Hummingbird's own responder closure is not used on this path.
    static func serverBuilder(_ configuration: ServerConfiguration, service: SQSService,
                              connections: ConnectionLimiter.Counter) throws -> HTTPServerBuilder {
        let http = HTTPServerBuilder { _ in SQSChildChannel(service: service, connections: connections) }
        guard let certificatePath = configuration.tlsCertificatePath, let keyPath = configuration.tlsKeyPath else {
            return http
        }
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        return try .tls(http, tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }
}
