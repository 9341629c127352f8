import Logging
import Synchronization
import WharfEngine

/// `--min-free-disk` for a SQLite data directory: while the file system holding it has less
/// free space than the floor, writes that grow the store are refused (a retryable 503, see
/// `WriteAdmission`) and `/ready` answers 503; receives and deletes go on, so queues drain;
/// once space is back everything resumes by itself.
///
/// Refusing before the disk is actually full keeps room for what must still work: the deletes
/// and receives that drain a queue write to the WAL too, and a checkpoint needs room to run.
///
/// The free space is read at most once every `refreshMillis` (a `statvfs` call, on the
/// injected source) and cached in between, so a request pays a lock and a comparison. Crossing
/// the floor, either way, logs one line.
public final class DiskWatermark: WriteAdmission {
    public typealias SpaceSource = @Sendable () -> DiskSpace?

    private struct State {
        var checkedAt: Int64?
        var refusal: String?
    }

    private let floorBytes: @Sendable (_ totalBytes: Int64) -> Int64
    private let floorDescription: String
    private let space: SpaceSource
    private let clock: any WharfClock
    private let logger: Logger
    private let refreshMillis: Int64
    private let state = Mutex(State())

    /// `floorBytes` turns the file system's size into the floor (a fixed size ignores it, a
    /// percentage does not); `floorDescription` is the setting as the operator wrote it.
    public init(floorBytes: @escaping @Sendable (_ totalBytes: Int64) -> Int64, floorDescription: String,
                space: @escaping SpaceSource, clock: any WharfClock, logger: Logger, refreshMillis: Int64 = 1_000) {
        self.floorBytes = floorBytes
        self.floorDescription = floorDescription
        self.space = space
        self.clock = clock
        self.logger = logger
        self.refreshMillis = refreshMillis
    }

    public func refusalReason() -> String? {
        let now = clock.nowMillis()
        let (refusal, crossed) = state.withLock { state -> (String?, Bool?) in
            if let checked = state.checkedAt, now - checked < refreshMillis { return (state.refusal, nil) }
            let wasBelow = state.refusal != nil
            state.checkedAt = now
            state.refusal = evaluate()
            let isBelow = state.refusal != nil
            return (state.refusal, wasBelow == isBelow ? nil : isBelow)
        }
        switch crossed {
        case true?: logger.warning("disk below the watermark: \(refusal ?? "")")
        case false?: logger.notice("disk above the watermark (\(floorDescription) free) again: writes resume")
        case nil: break
        }
        return refusal
    }

    /// The refusal the free space calls for now; none when it cannot be read (an unknown
    /// is not a reason to stop taking messages; a truly full disk still fails safely).
    private func evaluate() -> String? {
        guard let space = space() else { return nil }
        let floor = floorBytes(space.totalBytes)
        guard space.freeBytes < floor else { return nil }
        return "The server's disk is below its free-space watermark (\(Self.megabytes(space.freeBytes)) free, "
            + "min-free-disk \(floorDescription)): writes that add data are refused until space is freed; "
            + "receives and deletes still work."
    }

    static func megabytes(_ bytes: Int64) -> String {
        "\(bytes / 1_048_576) MiB"
    }
}
