import ArgumentParser
import Foundation
import WharfSQLite

/// `wharf backup DEST`: a consistent copy of a SQLite store, taken while its server runs.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a SQLite store to a file, consistently, while its server runs.",
        discussion: """
            Reads <data-dir>/wharf.sqlite through SQLite's online backup API, from one snapshot: \
            the copy holds every message acknowledged before the backup started (and possibly some \
            after). The server is neither stopped nor blocked (WAL: readers never wait for the \
            writer, nor it for them). The copy is checked (PRAGMA integrity_check) and renamed into \
            place only when complete. Restore it with `wharf restore`. For a PostgreSQL store use \
            pg_dump or pg_basebackup (docs/reliability.md).
            """)

    @Argument(help: "The file to write (must not exist).") var destination: String
    @Option(help: "The server's data directory (default: WHARF_DATA_DIR, else ./wharf-data).") var dataDir: String?
    @Option(help: "Pages (4 KiB) copied per step.") var pagesPerStep: Int32 = 1_024

    func run() throws {
        let directory = dataDir ?? ProcessInfo.processInfo.environment["WHARF_DATA_DIR"] ?? "./wharf-data"
        let source = SQLiteBackup.databasePath(dataDirectory: directory)
        do {
            let report = try SQLiteBackup.copy(from: source, to: destination, pagesPerStep: pagesPerStep)
            print("backed up \(source) to \(destination): \(report.pages) pages in \(report.steps) steps, "
                  + String(format: "%.2f s (longest step %.1f ms)", report.seconds, report.longestStepSeconds * 1000))
        } catch let failure as SQLiteBackup.Failure {
            throw ValidationError("backup refused: \(failure)")
        }
    }
}

/// `wharf restore SRC --data-dir D`: a backup becomes a data directory's store.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a backup the store of a data directory (the server there must be stopped).",
        discussion: """
            Checks the backup (PRAGMA integrity_check), then copies it to <data-dir>/wharf.sqlite. \
            A store already there is refused unless --force, which moves it (with its -wal and -shm \
            files) aside to wharf.sqlite.replaced-<time> rather than deleting it. Start the server \
            on the directory afterwards.
            """)

    @Argument(help: "The backup file.") var source: String
    @Option(help: "The data directory to restore into.") var dataDir: String
    @Flag(help: "Move an existing store aside instead of refusing.") var force = false

    func run() throws {
        let target = SQLiteBackup.databasePath(dataDirectory: dataDir)
        let files = FileManager.default
        do {
            try SQLiteBackup.checkIntegrity(at: source)
            try files.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            if files.fileExists(atPath: target) {
                guard force else { throw SQLiteBackup.Failure.destinationExists(target) }
                let aside = target + ".replaced-\(Int(Date().timeIntervalSince1970))"
                for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: target + suffix) {
                    try files.moveItem(atPath: target + suffix, toPath: aside + suffix)
                }
                print("moved the store that was there to \(aside)")
            }
            let report = try SQLiteBackup.copy(from: source, to: target)
            print("restored \(source) into \(dataDir): \(report.pages) pages")
        } catch let failure as SQLiteBackup.Failure {
            throw ValidationError("restore refused: \(failure)")
        }
    }
}
