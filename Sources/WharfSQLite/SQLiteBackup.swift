import Foundation
import GRDB

/// Consistent copies of a SQLite store, also of one a running server is writing to, through
/// SQLite's online backup API.
///
/// The copy reads inside one read transaction on the source, i.e. from one WAL snapshot: it is
/// the store as of one commit, and writes by the server (another process) neither restart it
/// nor wait for it — in WAL mode a reader never blocks the writer. What the server may feel is
/// the I/O of the copy, and a WAL that cannot be checkpointed past the snapshot until the copy
/// ends (it grows by what is written meanwhile). The copy goes `pagesPerStep` pages at a time,
/// so that the progress is reported and each step holds the source's lock briefly.
public enum SQLiteBackup {
    /// The store's file in a data directory.
    public static func databasePath(dataDirectory: String) -> String { dataDirectory + "/wharf.sqlite" }

    public struct Report: Sendable {
        public var pages: Int
        public var steps: Int
        public var seconds: Double
        /// The longest single step: the longest the source's read lock was held at once.
        public var longestStepSeconds: Double
    }

    public enum Failure: Error, CustomStringConvertible {
        case sourceMissing(String)
        case destinationExists(String)
        case notIntact(String, String)

        public var description: String {
            switch self {
            case .sourceMissing(let path): "no database at \(path)"
            case .destinationExists(let path): "\(path) exists: refusing to overwrite it"
            case .notIntact(let path, let answer): "\(path) failed its integrity check: \(answer)"
            }
        }
    }

    /// Copies the database at `source` to a new file at `destination` (written beside it and
    /// renamed into place once complete and checked, so a crash never leaves half a copy
    /// under the final name).
    @discardableResult
    public static func copy(from source: String, to destination: String, pagesPerStep: Int32 = 1_024) throws -> Report {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure.sourceMissing(source) }
        guard !FileManager.default.fileExists(atPath: destination) else { throw Failure.destinationExists(destination) }
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let reader = try DatabasePool(path: source, configuration: configuration)
        let started = ContinuousClock.now
        var report = Report(pages: 0, steps: 0, seconds: 0, longestStepSeconds: 0)
        do {
            let target = try DatabaseQueue(path: partial)
            var stepStarted = ContinuousClock.now
            try reader.backup(to: target, pagesPerStep: pagesPerStep) { step in
                let now = ContinuousClock.now
                report.steps += 1
                report.pages = step.totalPageCount
                report.longestStepSeconds = max(report.longestStepSeconds, (now - stepStarted).seconds)
                stepStarted = ContinuousClock.now
            }
            try check(target, path: partial)
            try target.close()
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        try reader.close()
        try FileManager.default.moveItem(atPath: partial, toPath: destination)
        try syncDirectory(of: destination)
        report.seconds = (ContinuousClock.now - started).seconds
        return report
    }

    /// `PRAGMA integrity_check` on the file at `path`.
    public static func checkIntegrity(at path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw Failure.sourceMissing(path) }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try check(queue, path: path)
        try queue.close()
    }

    private static func check(_ database: DatabaseQueue, path: String) throws {
        let answer = try database.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        guard answer == ["ok"] else { throw Failure.notIntact(path, answer.prefix(5).joined(separator: "; ")) }
    }

    /// The rename is durable only once the directory entry is on disk.
    private static func syncDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = fsync(descriptor)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
