import Foundation
import Yams

/// `wharf serve --config wharf.yaml`: every `serve` setting, and the queues that must exist.
///
/// ```yaml
/// server:
///   port: 9324
///   store: postgres://wharf:secret@db:5432/wharf
/// queues:
///   - name: orders-dlq
///   - name: orders
///     attributes: { VisibilityTimeout: 60 }
///     dead-letter: { queue: orders-dlq, max-receive-count: 5 }
///     tags: { team: payments }
/// ```
///
/// A file is checked whole before anything is applied: an unknown key, a value of the wrong
/// kind or a dead-letter queue that is not declared is refused with its line.
public struct ConfigFile: Sendable, Equatable {
    public var server: ServerSettings
    public var queues: [QueueDeclaration]

    public init(server: ServerSettings = ServerSettings(), queues: [QueueDeclaration] = []) {
        self.server = server; self.queues = queues
    }

    /// Reads and checks `path`.
    public static func load(path: String) throws(ConfigError) -> ConfigFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(path: path, line: nil, reason: "cannot be read: \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// Checks a file's text (`path` only names it in errors).
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(path: path, line: Self.line(of: error), reason: "is not valid YAML: \(Self.problem(of: error))")
        } catch {
            throw ConfigError(path: path, line: nil, reason: "is not valid YAML: \(error)")
        }
        guard let root else { return ConfigFile() }
        var reader = NodeReader(path: path)
        let top = try reader.mapping(root, allowed: ["server", "queues"], what: "the file")
        var file = ConfigFile()
        if let server = top["server"] { file.server = try ServerSettings(server, reader: &reader) }
        if let queues = top["queues"] {
            file.queues = try reader.sequence(queues, what: "queues").map { node throws(ConfigError) in
                try QueueDeclaration(node, reader: &reader)
            }
        }
        try file.checkQueues(path: path)
        return file
    }

    /// Names are unique per account and region; dead-letter queues are declared too.
    private func checkQueues(path: String) throws(ConfigError) {
        var seen = Set<String>()
        for queue in queues {
            let key = "\(queue.account ?? "")/\(queue.region ?? "")/\(queue.name)"
            guard seen.insert(key).inserted else {
                throw ConfigError(path: path, line: queue.line, reason: "queue \(queue.name) is declared twice")
            }
        }
        for queue in queues {
            guard let deadLetter = queue.deadLetter else { continue }
            guard queues.contains(where: {
                $0.name == deadLetter.queue && $0.account == queue.account && $0.region == queue.region
            }) else {
                throw ConfigError(path: path, line: queue.line,
                                  reason: "dead-letter queue \(deadLetter.queue) of \(queue.name) is not declared in this file")
            }
        }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}

/// A file refused: which, where, why.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: String
    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}
