import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import ServiceLifecycle
import WharfEngine

/// Serves the SQS endpoint for an engine until SIGINT/SIGTERM, then shuts down gracefully. Which store the engine runs on
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
                           services: [any Service] = [], logger: Logger) async throws {
        if configuration.credentials.isEmpty {
            guard configuration.isLoopback else { throw StartError.credentialsRequired(configuration.host) }
            logger.warning("DEV MODE: no credentials configured. Signatures are NOT verified; every request is accepted and acts as account \(configuration.accountId). Configure --credentials-file before exposing this server.")
        } else {
            logger.notice("SigV4 verification on: \(configuration.credentials.entries.count) access key(s) configured")
        }
        let application = try makeApplication(engine: engine, configuration: configuration,
                                              storeDescription: storeDescription, metrics: metrics, diskFree: diskFree,
                                              logger: logger)
        // Shut down in reverse order: the caller's services (configuration reloads), then the
        // engine (parked long polls answered empty), then the listener (no new connections;
        // each open one closes once its request in progress is answered). Past the bound the
        // rest are cancelled: their connections are closed unanswered.
        var group = ServiceGroupConfiguration(
            services: [.init(service: application),
                       .init(service: EngineService(engine: engine, configuration: configuration, logger: logger))]
                + services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(configuration.shutdownTimeoutSeconds)
        try await ServiceGroup(configuration: group).run()
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

/// The engine's background work (cluster events, move tasks, retention sweeps, queue gauges,
/// activity counts), and the engine's part of a graceful shutdown: parked long polls end empty.
struct EngineService: Service {
    let engine: SQSEngine
    let configuration: ServerConfiguration
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await cancelWhenGracefulShutdown {
                await engine.runBackgroundWork(
                    sweepIntervalMillis: Int64(configuration.expirySweepSeconds) * 1000,
                    statsIntervalMillis: Int64(configuration.gaugeIntervalSeconds) * 1000)
            }
            // What this node counted since its last flush (the console's send and receive rates).
            await engine.flushActivity()
        } onGracefulShutdown: {
            let parked = engine.parkedLongPolls
            engine.stopLongPolls()
            logger.notice("Shutting down: \(parked) parked long poll(s) answered empty; no new connections; open ones close once answered (at most \(configuration.shutdownTimeoutSeconds) s)")
        }
    }
}
