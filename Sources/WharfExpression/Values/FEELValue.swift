import Foundation

/// A value an expression reads or produces: the FEEL types of DMN 1.5.
///
/// Numbers are `Decimal`, not `Double`: FEEL numbers are decimal by definition, so
/// `0.1 + 0.2 = 0.3` is true and money-like values in message bodies compare exactly
/// (see `Decimal+FEEL.swift` for the precision). `Decimal` also prints integers without a
/// trailing ".0", which matters when numbers are turned back into strings or keys.
///
/// `==` is structural identity (what tests and caches want); FEEL's own `=`, which is
/// three-valued and compares date-times as instants, is `Operators.equal`.
public enum FEELValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case list([FEELValue])
    case context(FEELContext)
    case date(FEELDate)
    case time(FEELTime)
    case dateTime(FEELDateTime)
    case daysAndTimeDuration(FEELDaysAndTimeDuration)
    case yearsAndMonthsDuration(FEELYearsAndMonthsDuration)
    indirect case range(FEELRange)
    case function(FEELFunction)

    /// A condition fires only on exactly `true`; null and non-booleans do not.
    public var isTrue: Bool { self == .bool(true) }

    public var isNull: Bool { self == .null }

    /// Field access that never fails: anything but a context yields nil (missing).
    public subscript(key: String) -> FEELValue? {
        if case .context(let context) = self { return context[key] }
        return nil
    }

    /// The FEEL type name, as `instance of` and error messages spell it.
    public var typeName: String {
        switch self {
        case .null: "Null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .list: "list"
        case .context: "context"
        case .date: "date"
        case .time: "time"
        case .dateTime: "date and time"
        case .daysAndTimeDuration: "days and time duration"
        case .yearsAndMonthsDuration: "years and months duration"
        case .range: "range"
        case .function: "function"
        }
    }
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
        case .date(let d): #"date(""# + d.description + #"")"#
        case .time(let t): #"time(""# + t.description + #"")"#
        case .dateTime(let t): #"date and time(""# + t.description + #"")"#
        case .daysAndTimeDuration(let d): #"duration(""# + d.description + #"")"#
        case .yearsAndMonthsDuration(let d): #"duration(""# + d.description + #"")"#
        case .range(let r): r.description
        case .function(let f): f.description
        }
    }
}
