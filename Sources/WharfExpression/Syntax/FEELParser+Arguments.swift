import Foundation

/// Call arguments, positional or named, and the token test the range-end rule needs.
extension FEELParser {
    /// Whether a token can begin an operand (so that `[` before it opens a filter).
    func canStartExpression(_ token: Token) -> Bool {
        switch token.kind {
        case .name, .quotedName, .string, .at, .number: return true
        case .keyword(let k): return ["true", "false", "null", "if", "for", "some", "every", "function"].contains(k)
        case .symbol(let s): return ["(", "[", "{", "-", "]", "<", "<=", ">", ">=", "=", "!="].contains(s)
        case .end: return false
        }
    }

    /// `(a, b)` or `(name: a, other name: b)`; FEEL does not mix the two forms.
    mutating func parseArguments() throws(FEELSyntaxError) -> Node.Arguments {
        advance()
        var positional: [Node] = []
        var named: [Node.NamedArgument] = []
        if !isSymbol(")") {
            repeat {
                if !positional.isEmpty || !named.isEmpty { advance() }  // the ","
                if let name = namedArgumentAhead() {
                    guard positional.isEmpty else { throw error("positional and named arguments mixed") }
                    named.append(.init(name: name, value: try parseExpression()))
                } else {
                    guard named.isEmpty else { throw error("positional and named arguments mixed") }
                    positional.append(try parseExpression())
                }
            } while isSymbol(",")
        }
        try expect(symbol: ")")
        return named.isEmpty ? .positional(positional) : .named(named)
    }

    /// When the next tokens are `name :` (a multi-word name allowed), consumes them and
    /// returns the name.
    private mutating func namedArgumentAhead() -> String? {
        var lookahead = index
        var words: [String] = []
        while true {
            switch tokens[lookahead].kind {
            case .name(let w): words.append(w)
            case .quotedName(let w) where words.isEmpty:
                words.append(w)
                lookahead += 1
                guard tokens[lookahead].kind == .symbol(":") else { return nil }
                index = lookahead + 1
                return w
            default:
                guard !words.isEmpty, tokens[lookahead].kind == .symbol(":") else { return nil }
                index = lookahead + 1
                return words.joined(separator: " ")
            }
            lookahead += 1
        }
    }
}
