import Foundation

/// A value an expression reads or produces.
///
/// Numbers are `Decimal`, not `Double`: FEEL numbers are decimal by definition, so
/// `0.1 + 0.2 = 0.3` is true and money-like values in message bodies compare exactly.
/// `Decimal` also prints integers without a trailing ".0", which matters when numbers
/// are turned back into strings (`string(body.id)`) or idempotency keys.
public enum FEELValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case list([FEELValue])
    case context(FEELContext)

    /// A condition fires only on exactly `true`; null and non-booleans do not.
    public var isTrue: Bool { self == .bool(true) }

    public var isNull: Bool { self == .null }

    /// Field access that never fails: anything but a context yields nil (missing).
    public subscript(key: String) -> FEELValue? {
        if case .context(let context) = self { return context[key] }
        return nil
    }
}

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

// Literal conformances keep test tables and message builders readable.
extension FEELValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Decimal(value)) }
    /// Goes through the shortest decimal text of the double so `1.1` is exactly 1.1.
    public init(floatLiteral value: Double) { self = .number(Decimal(shortest: value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: FEELValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, FEELValue)...) {
        self = .context(FEELContext(elements))
    }
}

extension FEELValue: CustomStringConvertible {
    /// FEEL-like rendering for logs and error messages (strings quoted).
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.description
        case .string(let s): FEELValue.quoted(s)
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .context(let c):
            "{" + c.entries.map { "\(FEELValue.quoted($0.key)): \($0.value)" }
                .joined(separator: ", ") + "}"
        }
    }
}

extension Decimal {
    /// Shortest round-trip text of the double, so 1.1 does not become 1.100000000000000088.
    init(shortest double: Double) {
        self = double.isFinite ? (Decimal(string: "\(double)") ?? Decimal(double)) : .nan
    }

    /// The value as an Int when it is a whole number in range; indexes and lengths need this.
    var exactInt: Int? {
        guard isFinite, self == self.rounded(toPlaces: 0) else { return nil }
        guard self >= Decimal(Int.min), self <= Decimal(Int.max) else { return nil }
        return NSDecimalNumber(decimal: self).intValue
    }

    func rounded(toPlaces places: Int) -> Decimal {
        var input = self
        var result = Decimal()
        NSDecimalRound(&result, &input, places, .plain)
        return result
    }
}
