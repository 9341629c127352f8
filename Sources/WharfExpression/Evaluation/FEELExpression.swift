import Foundation

/// A parsed expression. Parse once (the connector does it at start-up, so a bad condition
/// fails fast), then evaluate against every message.
public struct FEELExpression: Sendable, Equatable, CustomStringConvertible {
    /// The source text, as given (with its leading "=", if any).
    public let source: String
    let root: Node

    /// Parses `["="] expression`. The leading "=" is how Camunda marks an expression field.
    public init(parsing source: String) throws(FEELSyntaxError) {
        var parser = try FEELParser(source: source)
        self.root = try parser.parseInput()
        self.source = source
    }

    public var description: String { source }

    public static func == (a: FEELExpression, b: FEELExpression) -> Bool { a.root == b.root }
}

extension FEELExpression {
    /// Evaluates against a context (the names the expression can use). FEEL answers most
    /// problems with null; only the failures of `FEELEvaluationError` throw.
    public func evaluate(
        in context: FEELValue, environment: FEELEnvironment = FEELEnvironment()
    ) throws(FEELEvaluationError) -> FEELValue {
        let evaluator = FEELEvaluator(environment: environment, source: Array(source))
        return try evaluator.evaluate(root, in: Scope(root: context))
    }

    /// The activation-condition test: fires only when the result is exactly `true`.
    public func matches(
        _ context: FEELValue, environment: FEELEnvironment = FEELEnvironment()
    ) throws(FEELEvaluationError) -> Bool {
        try evaluate(in: context, environment: environment).isTrue
    }
}

/// What the evaluator needs from the outside world. Injected so that `now()`/`today()` are
/// deterministic in tests.
public struct FEELEnvironment: Sendable {
    public var now: @Sendable () -> Date
    /// The zone of `now()` and `today()`. UTC by default, so that results do not depend on
    /// the machine the consumer runs on; `now()` is then a date and time with offset `Z`.
    public var timeZone: TimeZone

    public init(now: @escaping @Sendable () -> Date = { Date() }, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.now = now
        self.timeZone = timeZone
    }
}
