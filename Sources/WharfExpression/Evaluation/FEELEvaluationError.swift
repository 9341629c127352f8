import Foundation

/// A genuine failure, as opposed to the many cases FEEL answers with null. The connector
/// treats it as retryable: the message is not deleted. It carries the position of the
/// call that failed, like a syntax error: `unknown function "frobnicate" at 1:11`.
public struct FEELEvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        case unknownFunction(String)
        case wrongArity(function: String, expected: String, got: Int)
        /// A named argument the function does not declare, or a required one left out.
        case badParameter(function: String, message: String)
        /// Something called that is not a function: `"abs"(-1)`, `x(1)` with x a number.
        case notAFunction(String)
        /// A pattern given to `matches`, `replace`, `split`… that does not compile. Thrown
        /// rather than null: a null would make a condition silently never fire and delete
        /// every message as unmatched.
        case invalidPattern(String, reason: String)
        /// User functions calling each other too deeply (runaway recursion).
        case recursionTooDeep
        /// `assert(value, condition)` failed.
        case assertionFailed(String)

        public var description: String {
            switch self {
            case .unknownFunction(let name):
                "unknown function \"\(name)\""
            case .wrongArity(let name, let expected, let got):
                "function \"\(name)\" expects \(expected) argument\(expected == "1" || expected.hasSuffix(" 1") ? "" : "s"), got \(got)"
            case .badParameter(let name, let message):
                "function \"\(name)\": \(message)"
            case .notAFunction(let what):
                "\(what) is not a function"
            case .invalidPattern(let pattern, let reason):
                "invalid pattern \(FEELValue.quoted(pattern)): \(reason)"
            case .recursionTooDeep:
                "function calls nested too deeply"
            case .assertionFailed(let message):
                "assertion failed: \(message)"
            }
        }
    }

    public let reason: Reason
    /// 0-based character offset of the failing call in the source; line and column 1-based.
    public let offset: Int
    public let line: Int
    public let column: Int
    /// False while a built-in's error travels up to the call that gives it its position.
    let located: Bool

    public init(_ reason: Reason, offset: Int, line: Int, column: Int) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
        located = true
    }

    /// An error not yet placed in the source.
    init(_ reason: Reason) {
        self.reason = reason
        offset = 0
        line = 1
        column = 1
        located = false
    }

    func located(at offset: Int, in source: [Character]) -> FEELEvaluationError {
        guard !located else { return self }
        let (line, column) = SourcePosition.lineAndColumn(of: offset, in: source)
        return FEELEvaluationError(reason, offset: offset, line: line, column: column)
    }

    public var description: String { "\(reason) at \(line):\(column)" }
}
