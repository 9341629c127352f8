import Hummingbird
import Logging
import WharfEngine
import WharfSQLite

/// Starts the SQS endpoint on the embedded SQLite store and runs until SIGINT/SIGTERM.
public enum WharfServer {
    public static func run(_ configuration: ServerConfiguration, logger: Logger) async throws {
        let store = try SQLiteMessageStore(directory: configuration.dataDirectory)
        let engine = try await SQSEngine(store: store, clock: SystemClock(), logger: logger)
        let application = makeApplication(engine: engine, configuration: configuration, logger: logger)
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

    /// The Hummingbird application for an engine; tests drive it without a socket.
    public static func makeApplication(engine: SQSEngine, configuration: ServerConfiguration,
                                       logger: Logger) -> some ApplicationProtocol {
        let responder = SQSResponder(dispatcher: OperationDispatcher(engine: engine), configuration: configuration)
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: nil),
            onServerRunning: { channel in
                logger.notice("Wharf is listening on http://\(configuration.host):\(configuration.port) (data in \(configuration.dataDirectory), account \(configuration.accountId))")
            },
            logger: logger)
    }
}
