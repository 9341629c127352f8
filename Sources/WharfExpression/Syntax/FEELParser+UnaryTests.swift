import Foundation

/// Unary tests, the other entry point of the FEEL grammar (DMN rules 14–17): what a
/// decision table's input entry holds.
///
///     unary tests := "-" | "not" "(" positive unary tests ")" | positive unary tests
///     positive unary tests := test ("," test)*        test := "< 5" | "[1..5]" | "? > 3" | value…
extension FEELParser {
    enum UnaryTests: Sendable, Equatable {
        /// `-`: anything matches.
        case any
        case tests([Node.UnaryTest], negated: Bool)
    }

    mutating func parseUnaryTestsInput() throws(FEELSyntaxError) -> UnaryTests {
        if isSymbol("-"), token(after: 1).kind == .end {
            advance()
            return .any
        }
        var negated = false
        if current.word == "not", token(after: 1).kind == .symbol("(") {
            advance()
            negated = true
        }
        // Behind a "(" (real or, for the bare form, implied by `comparisonAllowedHere`
        // accepting index 0), each test may begin with a comparison.
        if negated { advance() }
        var tests: [Node.UnaryTest] = []
        repeat {
            if !tests.isEmpty { advance() }
            let before = inputReferences
            let node = try parseExpression()
            tests.append(Node.UnaryTest(node: node, usesInput: inputReferences > before))
        } while isSymbol(",")
        if negated { try expect(symbol: ")") }
        guard current.kind == .end else { throw error("unexpected \(current.display)") }
        return .tests(tests, negated: negated)
    }
}
