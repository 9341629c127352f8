import Foundation
import Logging

/// swift-log's handler for `wharf listen`: one line per entry on stderr (through
/// `CLIEnvironment`, so tests capture it), as text for people or as JSON for log shippers
/// (`--log-format json`). Made per logger, never bootstrapped globally: a process (or a test
/// run) may hold several listeners with different formats.
struct CLILogHandler: LogHandler {
    enum Format: String, CaseIterable, Sendable { case text, json }

    let label: String
    let format: Format
    let write: @Sendable (String) -> Void
    let now: @Sendable () -> Date
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, format: Format, write: @escaping @Sendable (String) -> Void,
         now: @escaping @Sendable () -> Date = Date.init) {
        self.label = label; self.format = format; self.write = write; self.now = now
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = Self.timestamp(now())
        switch format {
        case .text:
            let fields = merged.keys.sorted().map { "\($0)=\(Self.quoted(merged[$0]!.description))" }
            write(([time, event.level.rawValue, event.message.description] + fields).joined(separator: " "))
        case .json:
            var object: [String: String] = ["time": time, "level": event.level.rawValue, "message": event.message.description,
                                            "logger": label]
            for (key, value) in merged where object[key] == nil { object[key] = value.description }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(object) { write(String(decoding: data, as: UTF8.self)) }
        }
    }

    /// A text field's value: bare when it is one word, else quoted with escapes, so a line
    /// stays one line whatever a handler wrote on its stderr.
    static func quoted(_ value: String) -> String {
        if !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        return "\"\(escaped)\""
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
