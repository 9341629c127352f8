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
