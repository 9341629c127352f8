import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import WharfEngine
import WharfSQLite

/// Starts the SQS endpoint on the embedded SQLite store and runs until SIGINT/SIGTERM.
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

    public static func run(_ configuration: ServerConfiguration, logger: Logger) async throws {
        if configuration.credentials.isEmpty {
            guard configuration.isLoopback else { throw StartError.credentialsRequired(configuration.host) }
            logger.warning("DEV MODE: no credentials configured. Signatures are NOT verified; every request is accepted and acts as account \(configuration.accountId). Configure --credentials-file before exposing this server.")
        } else {
            logger.notice("SigV4 verification on: \(configuration.credentials.entries.count) access key(s) configured")
        }
        let store = try SQLiteMessageStore(directory: configuration.dataDirectory)
        let engine = try await SQSEngine(store: store, clock: SystemClock(), limits: configuration.limits,
                                         logger: logger)
        let application = try makeApplication(engine: engine, configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Retention sweeps; receives skip expired messages in between anyway.
                while !Task.isCancelled {
                    try await Task.sleep(nanoseconds: UInt64(configuration.expirySweepSeconds) * 1_000_000_000)
                    await engine.expireMessages()
                }
            }
            group.addTask { try await application.runService() }
            // The application returns on a shutdown signal; stop the sweeper with it.
            try await group.next()
            group.cancelAll()
        }
    }

    /// The Hummingbird application for an engine. Sockets are served by SQSChannelHandler; the
    /// responder is there for Hummingbird's in-process test client (no socket).
    public static func makeApplication(engine: SQSEngine, configuration: ServerConfiguration,
                                       logger: Logger) throws -> some ApplicationProtocol {
        let service = SQSService(
            dispatcher: OperationDispatcher(engine: engine), configuration: configuration,
            authenticator: Authenticator(credentials: configuration.credentials, defaultAccount: configuration.accountId))
        return Application(
            responder: SQSResponder(service: service),
            server: try serverBuilder(configuration, service: service),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: nil),
            onServerRunning: { channel in
                logger.notice("Wharf is listening on \(configuration.usesTLS ? "https" : "http")://\(configuration.host):\(configuration.port) (data in \(configuration.dataDirectory), account \(configuration.accountId))")
            },
            logger: logger)
    }

    /// HTTP/1.1 served by SQSChannelHandler, wrapped in TLS when a certificate and key are
    /// configured. Hummingbird's own responder closure is not used on this path.
    static func serverBuilder(_ configuration: ServerConfiguration, service: SQSService) throws -> HTTPServerBuilder {
        let counter = ConnectionLimiter.Counter(limit: configuration.maxConnections)
        let http = HTTPServerBuilder { _ in SQSChildChannel(service: service, connections: counter) }
        guard let certificatePath = configuration.tlsCertificatePath, let keyPath = configuration.tlsKeyPath else {
            return http
        }
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        return try .tls(http, tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
    }
}
