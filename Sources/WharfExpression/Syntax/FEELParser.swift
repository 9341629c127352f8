import Foundation

/// Recursive descent over the DMN 1.5 FEEL grammar, one function per precedence level,
/// lowest first:
///
///     expression  := for | some/every | if | function definition | disjunction
///     disjunction := conjunction ("or" conjunction)*
///     conjunction := comparison ("and" comparison)*
///     comparison  := additive [ cmp additive | "between" additive "and" additive
///                              | "in" tests | "instance of" type ]
///     additive    := multiplicative (("+" | "-") multiplicative)*
///     multiplicative := power (("*" | "/") power)*
///     power       := unary ("**" unary)*        (left-associative, as in the TCK)
///     unary       := "-" unary | postfix         (so `-5 ** 2` is 25)
///     postfix     := primary ("." name | "[" expression "]" | "(" arguments ")")*
///
/// Primaries, names and types are in the extensions next to this file.
struct FEELParser {
    /// Cap on the depth of the tree (nesting, and operator/path chains, which build
    /// left-deep trees), so a pathological expression is a syntax error rather than a stack
    /// overflow when it is evaluated or destroyed. Real conditions are far below it.
    static let maxDepth = 256

    let source: [Character]
    let tokens: [Token]
    var index = 0
    var depth = 0
    /// How many `?` names have been parsed: tells a unary test that uses the input from
    /// one that is a plain value.
    var inputReferences = 0
    /// Set while the end of a range is parsed, where `[` may close it (`[1..10[`).
    var inRangeEnd = false
    /// Parsing unary tests (`< 5, > 10`), where a test may start with a comparison.
    var parsingUnaryTests = false

    init(source: String) throws(FEELSyntaxError) {
        self.source = Array(source)
        var lexer = FEELLexer(source: self.source)
        self.tokens = try lexer.tokenize()
    }

    var current: Token { tokens[index] }

    func token(after offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func error(_ message: String, at token: Token? = nil) -> FEELSyntaxError {
        FEELSyntaxError(message, at: (token ?? current).offset, in: source)
    }

    /// Called once per tree level built; callers restore `depth` on return.
    mutating func deeper() throws(FEELSyntaxError) {
        depth += 1
        guard depth <= FEELParser.maxDepth else { throw error("expression nested too deeply") }
    }

    func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    func isKeyword(_ k: String) -> Bool { current.kind == .keyword(k) }

    mutating func expect(symbol s: String) throws(FEELSyntaxError) {
        guard isSymbol(s) else { throw error("expected \"\(s)\"") }
        advance()
    }

    mutating func expect(keyword k: String) throws(FEELSyntaxError) {
        guard isKeyword(k) else { throw error("expected \"\(k)\"") }
        advance()
    }

    // input := ["="] expression
    mutating func parseInput() throws(FEELSyntaxError) -> Node {
        if isSymbol("=") { advance() }
        let expression = try parseExpression()
        guard current.kind == .end else { throw error("unexpected \(current.display)") }
        return expression
    }

    mutating func parseExpression() throws(FEELSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        try deeper()
        switch current.kind {
        case .keyword("if"):
            advance()
            let condition = try parseExpression()
            try expect(keyword: "then")
            let then = try parseExpression()
            try expect(keyword: "else")
            return .ifThenElse(condition, then: then, else: try parseExpression())
        case .keyword("for"): return try parseIteration(.for, body: "return")
        case .keyword("some"): return try parseIteration(.some, body: "satisfies")
        case .keyword("every"): return try parseIteration(.every, body: "satisfies")
        case .keyword("function"): return try parseFunctionDefinition()
        default: return try parseOr()
        }
    }

    private mutating func parseOr() throws(FEELSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try parseAnd()
        while isKeyword("or") {
            try deeper()
            advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(FEELSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try parseComparison()
        while isKeyword("and") {
            try deeper()
            advance()
            left = .and(left, try parseComparison())
        }
        return left
    }

    private static let comparisonOperators: [String: Node.BinaryOperator] = [
        "=": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    // Comparisons do not chain: `a = b = c` stops after `a = b` and the rest is reported.
    private mutating func parseComparison() throws(FEELSyntaxError) -> Node {
        let left = try parseAdditive()
        if case .symbol(let s) = current.kind, let op = FEELParser.comparisonOperators[s] {
            advance()
            return .binary(op, left, try parseAdditive())
        }
        if isKeyword("between") {
            advance()
            let low = try parseAdditive()
            try expect(keyword: "and")
            return .between(left, low: low, high: try parseAdditive())
        }
        if isKeyword("in") { return try parseIn(left) }
        if current.word == "instance", token(after: 1).word == "of" {
            advance()
            advance()
            return .instanceOf(left, try parseType())
        }
        return left
    }

    /// `x in test` or `x in (test, test, …)`, a disjunction of positive unary tests.
    private mutating func parseIn(_ left: Node) throws(FEELSyntaxError) -> Node {
        advance()
        if isSymbol("(") {
            let saved = (index, depth, inputReferences)
            advance()
            var tests = [try parseTest { (p: inout FEELParser) throws(FEELSyntaxError) in try p.parseExpression() }]
            if isSymbol(",") {
                while isSymbol(",") {
                    advance()
                    tests.append(try parseTest { (p: inout FEELParser) throws(FEELSyntaxError) in try p.parseExpression() })
                }
                try expect(symbol: ")")
                return .in(left, tests)
            }
            // A single parenthesised test (or a range like `(2..4)`): parse it as an operand.
            (index, depth, inputReferences) = saved
        }
        return .in(left, [try parseTest { (p: inout FEELParser) throws(FEELSyntaxError) in try p.parseAdditive() }])
    }

    private mutating func parseTest(
        _ parse: (inout FEELParser) throws(FEELSyntaxError) -> Node
    ) throws(FEELSyntaxError) -> Node.UnaryTest {
        let before = inputReferences
        let node = try parse(&self)
        return Node.UnaryTest(node: node, usesInput: inputReferences > before)
    }

    mutating func parseAdditive() throws(FEELSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try parseMultiplicative()
        while isSymbol("+") || isSymbol("-") {
            try deeper()
            let op: Node.BinaryOperator = isSymbol("+") ? .add : .subtract
            advance()
            left = .binary(op, left, try parseMultiplicative())
        }
        return left
    }

    private mutating func parseMultiplicative() throws(FEELSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try parsePower()
        while isSymbol("*") || isSymbol("/") {
            try deeper()
            let op: Node.BinaryOperator = isSymbol("*") ? .multiply : .divide
            advance()
            left = .binary(op, left, try parsePower())
        }
        return left
    }

    private mutating func parsePower() throws(FEELSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try parseUnary()
        while isSymbol("**") {
            try deeper()
            advance()
            left = .binary(.power, left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(FEELSyntaxError) -> Node {
        guard isSymbol("-") else { return try parsePostfix() }
        advance()
        let saved = depth
        defer { depth = saved }
        try deeper()
        return .negate(try parseUnary())
    }

    // postfix := primary ("." name | "[" expression "]" | "(" arguments ")")*
    private mutating func parsePostfix() throws(FEELSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        let start = current
        var base = try parsePrimary()
        while true {
            if isSymbol(".") || isSymbol("[") || isSymbol("(") { try deeper() }
            if isSymbol(".") {
                advance()
                base = .member(base, try parseMemberName())
            } else if isSymbol("["), !(inRangeEnd && !canStartExpression(token(after: 1))) {
                advance()
                let selector = try parseExpression()
                try expect(symbol: "]")
                base = .filter(base, selector)
            } else if isSymbol("(") {
                base = .call(base, try parseArguments(), at: start.offset)
            } else {
                return base
            }
        }
    }
}
