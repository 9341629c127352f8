import Foundation

/// Recursive descent over the grammar of connectors.md §4, one function per rule.
struct FEELParser {
    /// Cap on the depth of the tree (nesting, and operator/path chains, which build
    /// left-deep trees), so a pathological expression is a syntax error rather than a stack
    /// overflow when it is evaluated or destroyed. Real conditions are far below it.
    static let maxDepth = 256

    private let source: [Character]
    private let tokens: [Token]
    private var index = 0
    private var depth = 0

    init(source: String) throws(FEELSyntaxError) {
        self.source = Array(source)
        var lexer = FEELLexer(source: self.source)
        self.tokens = try lexer.tokenize()
    }

    private var current: Token { tokens[index] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func error(_ message: String, at token: Token? = nil) -> FEELSyntaxError {
        FEELSyntaxError(message, at: (token ?? current).offset, in: source)
    }

    /// Called once per tree level built; callers restore `depth` on return.
    private mutating func deeper() throws(FEELSyntaxError) {
        depth += 1
        guard depth <= FEELParser.maxDepth else { throw error("expression nested too deeply") }
    }

    private func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    private func isKeyword(_ k: String) -> Bool { current.kind == .keyword(k) }

    private mutating func expect(symbol s: String) throws(FEELSyntaxError) {
        guard isSymbol(s) else { throw error("expected \"\(s)\"") }
        _ = advance()
    }

    private mutating func expect(keyword k: String) throws(FEELSyntaxError) {
        guard isKeyword(k) else { throw error("expected \"\(k)\"") }
        _ = advance()
    }

    // input := ["="] expr
    mutating func parseInput() throws(FEELSyntaxError) -> FEELExpression {
        if isSymbol("=") { _ = advance() }
        let expression = try parseExpression()
        guard current.kind == .end else { throw error("unexpected \(current.display)") }
        return expression
    }

    // expr := "if" expr "then" expr "else" expr | or
    private mutating func parseExpression() throws(FEELSyntaxError) -> FEELExpression {
        let saved = depth
        defer { depth = saved }
        try deeper()
        guard isKeyword("if") else { return try parseOr() }
        _ = advance()
        let condition = try parseExpression()
        try expect(keyword: "then")
        let then = try parseExpression()
        try expect(keyword: "else")
        let otherwise = try parseExpression()
        return .ifThenElse(condition, then: then, else: otherwise)
    }

    private mutating func parseOr() throws(FEELSyntaxError) -> FEELExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parseAnd()
        while isKeyword("or") {
            try deeper()
            _ = advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(FEELSyntaxError) -> FEELExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parseComparison()
        while isKeyword("and") {
            try deeper()
            _ = advance()
            left = .and(left, try parseComparison())
        }
        return left
    }

    // cmp := add [op add] | add "between" add "and" add | add "in" list
    // Comparisons do not chain: `a = b = c` stops after `a = b` and the rest is reported.
    private mutating func parseComparison() throws(FEELSyntaxError) -> FEELExpression {
        let left = try parseAdditive()
        if case .symbol(let s) = current.kind,
           let op = FEELExpression.BinaryOperator(rawValue: s),
           [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op)
        {
            _ = advance()
            return .binary(op, left, try parseAdditive())
        }
        if isKeyword("between") {
            _ = advance()
            let low = try parseAdditive()
            try expect(keyword: "and")
            return .between(left, low: low, high: try parseAdditive())
        }
        if isKeyword("in") {
            _ = advance()
            // Any operand is accepted; a non-list right side means equality (FEEL unary test).
            return .in(left, try parseAdditive())
        }
        return left
    }

    private mutating func parseAdditive() throws(FEELSyntaxError) -> FEELExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parseMultiplicative()
        while isSymbol("+") || isSymbol("-") {
            try deeper()
            let op: FEELExpression.BinaryOperator = isSymbol("+") ? .add : .subtract
            _ = advance()
            left = .binary(op, left, try parseMultiplicative())
        }
        return left
    }

    private mutating func parseMultiplicative() throws(FEELSyntaxError) -> FEELExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            try deeper()
            let op: FEELExpression.BinaryOperator = isSymbol("*") ? .multiply : .divide
            _ = advance()
            left = .binary(op, left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(FEELSyntaxError) -> FEELExpression {
        guard isSymbol("-") else { return try parsePostfix() }
        _ = advance()
        let saved = depth
        defer { depth = saved }
        try deeper()
        return .negate(try parseUnary())
    }

    // postfix := primary ("." name | "[" expr "]")*
    private mutating func parsePostfix() throws(FEELSyntaxError) -> FEELExpression {
        let saved = depth
        defer { depth = saved }
        var base = try parsePrimary()
        while true {
            if isSymbol(".") || isSymbol("[") { try deeper() }
            if isSymbol(".") {
                _ = advance()
                // Keywords are allowed after a dot: JSON bodies do have keys like "in" or "null".
                switch current.kind {
                case .name(let n), .keyword(let n):
                    _ = advance()
                    base = .member(base, n)
                default:
                    throw error("expected a name after \".\"")
                }
            } else if isSymbol("[") {
                _ = advance()
                let selector = try parseExpression()
                try expect(symbol: "]")
                base = .filter(base, selector)
            } else {
                return base
            }
        }
    }

    private mutating func parsePrimary() throws(FEELSyntaxError) -> FEELExpression {
        let token = current
        switch token.kind {
        case .number(let n):
            _ = advance()
            return .literal(.number(n))
        case .string(let s):
            _ = advance()
            return .literal(.string(s))
        case .keyword("true"):
            _ = advance()
            return .literal(.bool(true))
        case .keyword("false"):
            _ = advance()
            return .literal(.bool(false))
        case .keyword("null"):
            _ = advance()
            return .literal(.null)
        case .name:
            return try parseNameOrCall()
        case .symbol("("):
            _ = advance()
            let inner = try parseExpression()
            try expect(symbol: ")")
            return inner
        case .symbol("["):
            return try parseList()
        case .symbol("{"):
            return try parseContext()
        default:
            throw error("expected an expression")
        }
    }

    /// Function names may contain spaces ("starts with"): a run of names directly followed
    /// by "(" is one call. Without the "(" only the first name is taken, so `a b` reports
    /// "unexpected name" at `b`.
    private mutating func parseNameOrCall() throws(FEELSyntaxError) -> FEELExpression {
        var words: [String] = []
        var lookahead = index
        while case .name(let word) = tokens[lookahead].kind {
            words.append(word)
            lookahead += 1
        }
        guard tokens[lookahead].kind == .symbol("(") else {
            _ = advance()
            return .name(words[0])
        }
        index = lookahead + 1
        var arguments: [FEELExpression] = []
        if !isSymbol(")") {
            repeat {
                if !arguments.isEmpty { _ = advance() }  // the ","
                arguments.append(try parseExpression())
            } while isSymbol(",")
        }
        try expect(symbol: ")")
        return .call(words.joined(separator: " "), arguments)
    }

    // list := "[" [expr ("," expr)*] "]"
    private mutating func parseList() throws(FEELSyntaxError) -> FEELExpression {
        _ = advance()
        var items: [FEELExpression] = []
        if !isSymbol("]") {
            repeat {
                if !items.isEmpty { _ = advance() }
                items.append(try parseExpression())
            } while isSymbol(",")
        }
        try expect(symbol: "]")
        return .list(items)
    }

    // context := "{" [key ":" expr ("," key ":" expr)*] "}"     key := name | string
    private mutating func parseContext() throws(FEELSyntaxError) -> FEELExpression {
        _ = advance()
        var entries: [FEELExpression.ContextEntry] = []
        if !isSymbol("}") {
            repeat {
                if !entries.isEmpty { _ = advance() }
                let key: String
                switch current.kind {
                case .name(let n), .keyword(let n), .string(let n): key = n
                default: throw error("expected a context key")
                }
                _ = advance()
                try expect(symbol: ":")
                entries.append(.init(key: key, value: try parseExpression()))
            } while isSymbol(",")
        }
        try expect(symbol: "}")
        return .context(entries)
    }
}
