import Foundation

/// A FEEL context: string keys in insertion order.
///
/// Order is kept because a result expression like `{id: body.id, body: body}` becomes the
/// connector's output, and users expect to see their keys in the order they wrote them.
/// Equality ignores order, as FEEL context equality does.
public struct FEELContext: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var storage: [String: FEELValue] = [:]

    public init() {}

    public init(_ entries: [(String, FEELValue)]) {
        for (key, value) in entries { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Setting an existing key keeps its original position (like a JSON object with a
    /// duplicate key: the last value wins, the first position stays).
    public subscript(key: String) -> FEELValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var entries: [(key: String, value: FEELValue)] {
        keys.map { ($0, storage[$0]!) }
    }

    public static func == (lhs: FEELContext, rhs: FEELContext) -> Bool {
        lhs.storage == rhs.storage
    }
}

extension FEELContext: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, FEELValue)...) { self.init(elements) }
}
