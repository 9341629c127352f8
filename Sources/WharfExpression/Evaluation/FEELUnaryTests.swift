import Foundation

/// Parsed unary tests (`< 5, > 10`, `[1..5]`, `"a", "b"`, `not(0)`, `-`, `? > 3`): the
/// input-entry form of FEEL, for checking one value against a list of tests.
/// `x in (tests)` in an expression does the same thing.
public struct FEELUnaryTests: Sendable, Equatable, CustomStringConvertible {
    public let source: String
    let tests: FEELParser.UnaryTests

    public init(parsing source: String) throws(FEELSyntaxError) {
        var parser = try FEELParser(source: source)
        parser.parsingUnaryTests = true
        tests = try parser.parseUnaryTestsInput()
        self.source = source
    }

    public var description: String { source }

    /// true when a test matches (false for all under `not(…)`), null when it cannot tell.
    /// The names of `context` are visible to the tests; `?` is the input.
    public func evaluate(
        _ input: FEELValue, in context: FEELValue = nil, environment: FEELEnvironment = FEELEnvironment()
    ) throws(FEELEvaluationError) -> FEELValue {
        switch tests {
        case .any:
            return .bool(true)
        case .tests(let tests, let negated):
            let evaluator = FEELEvaluator(environment: environment, source: Array(source))
            let result = try evaluator.membership(input, tests, in: Scope(root: context))
            return negated ? Logic.not(result) : result
        }
    }

    /// Whether the input passes (exactly true).
    public func matches(
        _ input: FEELValue, in context: FEELValue = nil, environment: FEELEnvironment = FEELEnvironment()
    ) throws(FEELEvaluationError) -> Bool {
        try evaluate(input, in: context, environment: environment).isTrue
    }
}
