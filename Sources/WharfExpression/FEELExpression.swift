import Foundation

/// A parsed expression. Parse once (the connector does it at start-up, so a bad condition
/// fails fast), then evaluate against every message.
public indirect enum FEELExpression: Sendable, Equatable {
    case literal(FEELValue)
    case name(String)
    /// `base.key`; on a list it maps over the elements (FEEL path semantics).
    case member(FEELExpression, String)
    /// `base[selector]`: an index when the selector is a number, otherwise a filter.
    case filter(FEELExpression, FEELExpression)
    case call(String, [FEELExpression])
    case negate(FEELExpression)
    case binary(BinaryOperator, FEELExpression, FEELExpression)
    case and(FEELExpression, FEELExpression)
    case or(FEELExpression, FEELExpression)
    case between(FEELExpression, low: FEELExpression, high: FEELExpression)
    case `in`(FEELExpression, FEELExpression)
    case ifThenElse(FEELExpression, then: FEELExpression, else: FEELExpression)
    case list([FEELExpression])
    case context([ContextEntry])

    public enum BinaryOperator: String, Sendable, Equatable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<="
        case greater = ">", greaterOrEqual = ">="
    }

    public struct ContextEntry: Sendable, Equatable {
        public let key: String
        public let value: FEELExpression

        public init(key: String, value: FEELExpression) {
            self.key = key
            self.value = value
        }
    }

    /// Parses `["="] expr`. The leading "=" is how Camunda marks an expression field.
    public init(parsing source: String) throws(FEELSyntaxError) {
        var parser = try FEELParser(source: source)
        self = try parser.parseInput()
    }
}

/// What the evaluator needs from the outside world. Injected so that `now()`/`today()` are
/// deterministic in tests.
public struct FEELEnvironment: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }
}

/// A genuine failure, as opposed to the many cases FEEL answers with null. The connector
/// treats it as retryable: the message is not deleted.
public enum FEELEvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownFunction(String)
    case wrongArity(function: String, expected: String, got: Int)
    /// A pattern given to `matches` that does not compile. Thrown rather than null: a null
    /// would make the condition silently never fire and delete every message as unmatched.
    case invalidPattern(String, reason: String)

    public var description: String {
        switch self {
        case .unknownFunction(let name):
            "unknown function \"\(name)\""
        case .wrongArity(let name, let expected, let got):
            "function \"\(name)\" expects \(expected) argument\(expected == "1" ? "" : "s"), got \(got)"
        case .invalidPattern(let pattern, let reason):
            "invalid pattern \(FEELValue.quoted(pattern)): \(reason)"
        }
    }
}

extension FEELExpression {
    public func evaluate(
        in context: FEELValue, environment: FEELEnvironment = FEELEnvironment()
    ) throws(FEELEvaluationError) -> FEELValue {
        let evaluator = FEELEvaluator(environment: environment)
        return try evaluator.evaluate(self, in: Scope(root: context))
    }

    /// The activation-condition test: fires only when the result is exactly `true`.
    public func matches(
        _ context: FEELValue, environment: FEELEnvironment = FEELEnvironment()
    ) throws(FEELEvaluationError) -> Bool {
        try evaluate(in: context, environment: environment).isTrue
    }
}
