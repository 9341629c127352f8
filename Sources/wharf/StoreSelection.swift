import Foundation
import Logging
import WharfConfig
import WharfEngine
import WharfPostgres
import WharfServer
import WharfSQLite

/// The store `wharf serve` runs on, chosen here at the edge: the embedded SQLite store in the
/// data directory (the default), or a shared PostgreSQL database (`--store postgres://…` or
/// `WHARF_STORE`) for several nodes.
enum StoreSelection {
    case sqlite(directory: String)
    case postgres(PostgresStoreConfiguration)

    /// The `store` setting (flag, `WHARF_STORE` or file); none means SQLite in `dataDirectory`.
    /// A URL that does not parse is refused with the reason (never echoing a password).
    static func choose(_ setting: String?, dataDirectory: String) throws -> StoreSelection {
        guard let text = setting, !text.isEmpty else {
            return .sqlite(directory: dataDirectory)
        }
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count)).replacingOccurrences(of: "//", with: "", options: .anchored)
            return .sqlite(directory: path.isEmpty ? dataDirectory : path)
        }
        return .postgres(try PostgresStoreConfiguration(url: text))
    }

    /// An engine on the chosen store, with the clock and bus that go with it, and a line
    /// saying where the data is. `shutdown` closes the store's connections.
    struct Opened {
        var engine: SQSEngine
        var description: String
        /// Free space where the data is, for the disk gauge (nil for a database elsewhere).
        var diskFree: @Sendable () -> Int64?
        var shutdown: @Sendable () async -> Void
    }

    /// `diskFloor` is `--min-free-disk`: a SQLite node watches its own data directory's disk;
    /// a PostgreSQL node cannot see the database's disk and leaves that to PostgreSQL, whose
    /// disk-full error (SQLSTATE 53100) is answered with the same retryable 503.
    func open(limits: EngineLimits, metrics: ServerMetrics?, diskFloor: DiskFloor, logger: Logger) async throws -> Opened {
        let observer: any EngineObserver = metrics ?? SilentObserver()
        switch self {
        case .sqlite(let directory):
            let store = try await SQLiteMessageStore.open(directory: directory, commitObserver: metrics)
            let clock = SystemClock()
            var admission: any WriteAdmission = AdmitEveryWrite()
            if !diskFloor.isOff {
                admission = DiskWatermark(floorBytes: { diskFloor.bytes(ofDiskSize: $0) },
                                          floorDescription: diskFloor.description,
                                          space: { DiskSpace.of(directory) }, clock: clock, logger: logger)
            }
            // One node: its own clock; a stable node id, so that after a restart it takes its
            // move-task leases back at once.
            let engine = try await SQSEngine(store: store, clock: clock, limits: limits, nodeId: "local",
                                             observer: observer, admission: admission, logger: logger)
            return Opened(engine: engine, description: "data in \(directory)", diskFree: { freeBytes(at: directory) },
                          shutdown: {})
        case .postgres(let configuration):
            logger.notice("connecting to PostgreSQL at \(configuration)")
            let store = try await PostgresMessageStore.connect(configuration, logger: logger, commitObserver: metrics)
            // Several nodes: the database's clock for visibility arithmetic (see DatabaseClock),
            // the LISTEN/NOTIFY bus, a fresh node id per process.
            let engine = try await SQSEngine(store: store, clock: store.clock, limits: limits, bus: store.bus,
                                             nodeId: store.nodeId, observer: observer, logger: logger)
            logger.notice("node \(store.nodeId); database clock offset \(store.clock.offset) ms")
            return Opened(engine: engine, description: "store \(configuration)", diskFree: { nil },
                          shutdown: { await store.shutdown() })
        }
    }
}
