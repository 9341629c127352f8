import Foundation
import Logging

/// How log lines are written: `text` (`time level message key=value …`, for people) or `json`
/// (one object per line, for log shippers).
public enum LogFormat: String, CaseIterable, Sendable {
    case text, json

    /// A logger writing this format to standard error at `level`, whose lines also carry what
    /// `metadataProvider` adds (the id of the request being served, see `RequestScope`). Made
    /// per logger, never bootstrapped globally.
    public func logger(label: String, level: Logger.Level,
                       metadataProvider: Logger.MetadataProvider? = nil) -> Logger {
        let format = self
        var logger = Logger(label: label) { label in
            var handler = LineLogHandler(label: label, format: format, write: LineLogHandler.standardError)
            handler.metadataProvider = metadataProvider
            return handler
        }
        logger.logLevel = level
        return logger
    }
}

/// swift-log's handler for Wharf's processes: one line per entry, as text or JSON. `write`
/// and `now` are injected, so that tests capture lines and times.
public struct LineLogHandler: LogHandler {
    public let label: String
    public let format: LogFormat
    let write: @Sendable (String) -> Void
    let now: @Sendable () -> Date
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String, format: LogFormat, write: @escaping @Sendable (String) -> Void,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.label = label; self.format = format; self.write = write; self.now = now
    }

    /// Writes a line to standard error.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        merged.merge(event.metadata ?? [:]) { $1 }
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
    /// stays one line whatever it carries (a handler's stderr, a message body).
    static func quoted(_ value: String) -> String {
        if !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        return "\"\(escaped)\""
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().timeZone(separator: .omitted).time(includingFractionalSeconds: true)
            .dateTimeSeparator(.standard))
    }
}
