import Foundation
import Yams

/// Walks a YAML tree, turning every surprise into a `ConfigError` with the node's line.
struct NodeReader {
    let path: String

    func fail(_ node: Node, _ reason: String) -> ConfigError {
        ConfigError(path: path, line: node.mark?.line, reason: reason)
    }

    /// A mapping with only `allowed` keys.
    func mapping(_ node: Node, allowed: Set<String>?, what: String) throws(ConfigError) -> [String: Node] {
        guard let mapping = node.mapping else { throw fail(node, "\(what) must be a mapping") }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail(key, "keys of \(what) must be plain words") }
            if let allowed, !allowed.contains(name) {
                throw fail(key, "unknown key \(name) in \(what) (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            result[name] = value
        }
        return result
    }

    func sequence(_ node: Node, what: String) throws(ConfigError) -> [Node] {
        guard let sequence = node.sequence else { throw fail(node, "\(what) must be a list") }
        return Array(sequence)
    }

    func string(_ node: Node, what: String) throws(ConfigError) -> String {
        guard let scalar = node.scalar else { throw fail(node, "\(what) must be a single value") }
        return scalar.string
    }

    func int(_ node: Node, what: String) throws(ConfigError) -> Int {
        guard let value = Int(try string(node, what: what)) else { throw fail(node, "\(what) must be a whole number") }
        return value
    }

    /// A mapping of strings (attributes, tags).
    func strings(_ node: Node, what: String) throws(ConfigError) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in try mapping(node, allowed: nil, what: what) {
            result[key] = try string(value, what: "\(what).\(key)")
        }
        return result
    }

    /// Any YAML as JSON text (a policy written as YAML, or as a JSON string).
    func json(_ node: Node, what: String) throws(ConfigError) -> String {
        if let scalar = node.scalar { return scalar.string }
        guard let data = try? JSONSerialization.data(withJSONObject: Self.plain(node), options: [.sortedKeys]) else {
            throw fail(node, "\(what) cannot be written as JSON")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func plain(_ node: Node) -> Any {
        if let mapping = node.mapping {
            var object: [String: Any] = [:]
            for (key, value) in mapping { object[key.scalar?.string ?? ""] = plain(value) }
            return object
        }
        if let sequence = node.sequence { return sequence.map(plain) }
        return node.scalar?.string ?? ""
    }
}
