import Foundation

/// The parsed form of an expression. Internal: the public face is `FEELExpression`, so the
/// tree can change without breaking users. Nodes that can fail at evaluation time (calls)
/// carry the character offset where they start, for error positions.
indirect enum Node: Sendable, Equatable {
    case literal(FEELValue)
    case name(String)
    /// `base.key`; on a list it maps over the elements (FEEL path semantics).
    case member(Node, String)
    /// `base[selector]`: an index when the selector is a number, otherwise a filter.
    case filter(Node, Node)
    case call(Node, Arguments, at: Int)
    case negate(Node)
    case binary(BinaryOperator, Node, Node)
    case and(Node, Node)
    case or(Node, Node)
    case between(Node, low: Node, high: Node)
    /// `value in test` or `value in (test, test, …)`: true when any test matches.
    case `in`(Node, [UnaryTest])
    case instanceOf(Node, FEELType)
    case ifThenElse(Node, then: Node, else: Node)
    case list([Node])
    case context([ContextEntry])
    /// `[a..b]`, `(a..b]`, `]a..b[`…
    case interval(start: Node, startIncluded: Bool, end: Node, endIncluded: Bool)
    /// `< e`, `>= e`, `= e`, `!= e` used as a value (a one-sided range).
    case comparison(FEELRange.Kind, Node)
    case function(parameters: [String], body: Node)
    /// `for … in … return`, `some/every … in … satisfies`.
    case iteration(Quantifier, [Iteration], Node)

    enum BinaryOperator: String, Sendable, Equatable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", power = "**"
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<="
        case greater = ">", greaterOrEqual = ">="
    }

    enum Quantifier: String, Sendable, Equatable { case `for`, some, every }

    enum Arguments: Sendable, Equatable {
        case positional([Node])
        case named([NamedArgument])

        var count: Int {
            switch self {
            case .positional(let a): a.count
            case .named(let a): a.count
            }
        }
    }

    struct NamedArgument: Sendable, Equatable {
        let name: String
        let value: Node
    }

    struct ContextEntry: Sendable, Equatable {
        let key: String
        let value: Node
    }

    /// One iteration context: `name in domain` or `name in from..to`.
    struct Iteration: Sendable, Equatable {
        let name: String
        let domain: Node
        let upTo: Node?
    }

    /// A positive unary test. One that mentions `?` is a boolean expression about the
    /// input; any other is a value the input must equal or fall in (a range, a list).
    struct UnaryTest: Sendable, Equatable {
        let node: Node
        let usesInput: Bool
    }
}

/// A type in `instance of` (and in function parameter declarations, which are parsed and
/// not enforced).
indirect enum FEELType: Sendable, Equatable, CustomStringConvertible {
    case any, null, number, string, boolean, date, time, dateTime
    case daysAndTimeDuration, yearsAndMonthsDuration
    case list(FEELType)
    case context([(String, FEELType)])
    case range(FEELType)
    case function([FEELType], FEELType)

    static let named: [String: FEELType] = [
        "Any": .any, "Null": .null, "number": .number, "string": .string, "boolean": .boolean,
        "date": .date, "time": .time, "date and time": .dateTime, "dateTime": .dateTime,
        "days and time duration": .daysAndTimeDuration, "dayTimeDuration": .daysAndTimeDuration,
        "years and months duration": .yearsAndMonthsDuration, "yearMonthDuration": .yearsAndMonthsDuration,
        "list": .list(.any), "context": .context([]), "range": .range(.any),
        "function": .function([], .any),
    ]

    static func == (a: FEELType, b: FEELType) -> Bool { a.description == b.description }

    var description: String {
        switch self {
        case .any: "Any"
        case .null: "Null"
        case .number: "number"
        case .string: "string"
        case .boolean: "boolean"
        case .date: "date"
        case .time: "time"
        case .dateTime: "date and time"
        case .daysAndTimeDuration: "days and time duration"
        case .yearsAndMonthsDuration: "years and months duration"
        case .list(let t): "list<\(t)>"
        case .context(let entries): "context<" + entries.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ">"
        case .range(let t): "range<\(t)>"
        case .function(let params, let result): "function<" + params.map(\.description).joined(separator: ", ") + "> -> \(result)"
        }
    }

    /// `value instance of type`. null is an instance of Null only; a context type lists
    /// entries the value must have (more are allowed); a function type checks the arity.
    func contains(_ value: FEELValue) -> Bool {
        switch (self, value) {
        case (.null, .null): return true
        case (_, .null): return false
        case (.any, _): return true
        case (.number, .number), (.string, .string), (.boolean, .bool), (.date, .date), (.time, .time),
             (.dateTime, .dateTime), (.daysAndTimeDuration, .daysAndTimeDuration),
             (.yearsAndMonthsDuration, .yearsAndMonthsDuration):
            return true
        case (.list(let element), .list(let items)):
            return items.allSatisfy { $0 == .null || element.contains($0) }
        case (.context(let entries), .context(let context)):
            return entries.allSatisfy { key, type in context[key].map { $0 == .null || type.contains($0) } ?? false }
        case (.range(let element), .range(let r)):
            return [r.start, r.end].allSatisfy { $0 == nil || $0 == .null || element.contains($0!) }
        case (.function(let params, _), .function(let f)):
            guard !params.isEmpty, let names = f.parameterNames else { return true }
            return names.count == params.count
        default:
            return false
        }
    }
}
