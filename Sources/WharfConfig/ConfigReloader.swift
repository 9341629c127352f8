import Logging
import ServiceLifecycle
import UnixSignals
import WharfEngine

/// SIGHUP: reads the configuration file again and applies its declared queues. A file that is
/// refused changes nothing (the configuration in force stays); server settings are read at
/// start only, so a change to them is reported, not applied.
public struct ConfigReloader: Service {
    let path: String
    let server: ServerSettings
    let engine: SQSEngine
    let defaultAccount: String
    let defaultRegion: String
    let logger: Logger

    public init(path: String, server: ServerSettings, engine: SQSEngine, defaultAccount: String,
                defaultRegion: String, logger: Logger) {
        self.path = path; self.server = server; self.engine = engine
        self.defaultAccount = defaultAccount; self.defaultRegion = defaultRegion; self.logger = logger
    }

    public func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        try await cancelWhenGracefulShutdown {
            for await _ in hangups { await reload() }
        }
    }

    /// One reload; returns what was applied (nil: refused or failed, nothing changed by the file).
    @discardableResult
    public func reload() async -> QueueDeclarations.Report? {
        do {
            let file = try ConfigFile.load(path: path)
            let declarations = QueueDeclarations(file.queues, defaultAccount: defaultAccount, defaultRegion: defaultRegion)
            try declarations.validate(path: path)
            if file.server != server {
                logger.warning("SIGHUP: server settings in \(path) changed; they apply at the next start")
            }
            let report = try await declarations.apply(to: engine, logger: logger)
            logger.notice("SIGHUP: declared queues from \(path): \(report)")
            return report
        } catch let error as ConfigError {
            logger.error("SIGHUP: configuration refused, the previous one stays in force: \(error)")
        } catch {
            logger.error("SIGHUP: declared queues not applied (the store refused: \(error)); the previous configuration stays in force")
        }
        return nil
    }
}
