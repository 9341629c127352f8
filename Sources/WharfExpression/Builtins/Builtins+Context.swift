import Foundation

/// Context functions.
extension Builtins {
    static let context: [String: Builtin] = [
        // `get value(m, "a")`; Camunda also takes a list of keys, a path into nested contexts.
        "get value": Builtin("m", "key") { c in
            guard case .context(let context) = c[0] else { return .null }
            switch c[1] {
            case .string(let key): return context[key] ?? .null
            case .list(let keys):
                var value = c[0]
                for key in keys {
                    guard case .string(let k) = key, case .context(let inner) = value else { return .null }
                    value = inner[k] ?? .null
                }
                return value
            default: return .null
            }
        },
        "get entries": Builtin("m") { c in
            guard case .context(let context) = c[0] else { return .null }
            return .list(context.entries.map { .context(["key": .string($0.key), "value": $0.value]) })
        },
        // `context put(c, "a", 1)`, or with a list of keys to set a nested entry (Camunda).
        "context put": Builtin(signatures: [["context", "key", "value"], ["context", "keys", "value"]]) { c in
            guard case .context = c[0] else { return .null }
            switch c[1] {
            case .string(let key): return put(c[0], [key], c[2]) ?? .null
            case .list(let keys):
                var path: [String] = []
                for key in keys {
                    guard case .string(let k) = key else { return .null }
                    path.append(k)
                }
                return path.isEmpty ? .null : put(c[0], path, c[2]) ?? .null
            default: return .null
            }
        },
        // The entries of all the contexts, later ones winning.
        "context merge": Builtin("contexts") { c in
            guard let contexts = list(c[0]) else { return .null }
            var merged = FEELContext()
            for value in contexts {
                guard case .context(let context) = value else { return .null }
                for entry in context.entries { merged[entry.key] = entry.value }
            }
            return .context(merged)
        },
    ]

    /// `context` with the value at `path` set, creating nested contexts on the way;
    /// nil when a step is not a context.
    private static func put(_ value: FEELValue, _ path: [String], _ newValue: FEELValue) -> FEELValue? {
        guard case .context(var context) = value, let key = path.first else { return nil }
        if path.count == 1 {
            context[key] = newValue
        } else {
            guard let inner = put(context[key] ?? .context(FEELContext()), Array(path.dropFirst()), newValue) else { return nil }
            context[key] = inner
        }
        return .context(context)
    }
}
