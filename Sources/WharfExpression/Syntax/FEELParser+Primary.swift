import Foundation

/// Primaries: literals, names, parentheses, lists, ranges, contexts, `@"…"` and the
/// one-sided comparisons (`< 10`) that DMN 1.5 lets stand for ranges.
extension FEELParser {
    mutating func parsePrimary() throws(FEELSyntaxError) -> Node {
        let token = current
        switch token.kind {
        case .number(let n):
            advance()
            return .literal(.number(n))
        case .string(let s):
            advance()
            return .literal(.string(s))
        case .at(let text):
            guard let value = TemporalParser.literal(text) else {
                throw error("invalid temporal literal \(FEELValue.quoted(text))")
            }
            advance()
            return .literal(value)
        case .keyword("true"):
            advance()
            return .literal(.bool(true))
        case .keyword("false"):
            advance()
            return .literal(.bool(false))
        case .keyword("null"):
            advance()
            return .literal(.null)
        case .name, .quotedName:
            let name = try parseNameRun()
            if name == "?" { inputReferences += 1 }
            return .name(name)
        case .symbol("("):
            advance()
            let outer = inRangeEnd
            inRangeEnd = false
            let inner = try parseExpression()
            inRangeEnd = outer
            if isSymbol("..") { return try parseRangeEnd(start: inner, startIncluded: false) }
            try expect(symbol: ")")
            return inner
        case .symbol("["):
            let outer = inRangeEnd
            inRangeEnd = false
            defer { inRangeEnd = outer }
            return try parseListOrRange()
        case .symbol("]"):
            // `]a..b]`: an excluded start, ISO style.
            advance()
            let start = try parseExpression()
            guard isSymbol("..") else { throw error("expected \"..\"") }
            return try parseRangeEnd(start: start, startIncluded: false)
        case .symbol("{"):
            return try parseContext()
        case .symbol(let s) where FEELParser.comparisonKinds[s] != nil && comparisonAllowedHere:
            advance()
            return .comparison(FEELParser.comparisonKinds[s]!, try parseAdditive())
        default:
            throw error("expected an expression")
        }
    }

    static let comparisonKinds: [String: FEELRange.Kind] = [
        "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual, "=": .equal, "!=": .notEqual,
    ]

    /// `< 10` can start an operand only where no left operand can precede it: after `in`,
    /// `(`, `[` or `,` (so `x == 1` stays an error rather than `x = (= 1)`), and first in
    /// unary tests.
    private var comparisonAllowedHere: Bool {
        guard index > 0 else { return parsingUnaryTests }
        switch tokens[index - 1].kind {
        case .keyword("in"), .symbol("("), .symbol("["), .symbol(","): return true
        default: return false
        }
    }

    /// After `start ..`: the end and the closing bracket, `]` (included) or `)` / `[` (excluded).
    private mutating func parseRangeEnd(start: Node, startIncluded: Bool) throws(FEELSyntaxError) -> Node {
        advance()  // ".."
        let outer = inRangeEnd
        inRangeEnd = true
        let end = try parseExpression()
        inRangeEnd = outer
        let endIncluded: Bool
        if isSymbol("]") {
            endIncluded = true
        } else if isSymbol(")") || isSymbol("[") {
            endIncluded = false
        } else {
            throw error("expected \"]\" or \")\"")
        }
        advance()
        return .interval(start: start, startIncluded: startIncluded, end: end, endIncluded: endIncluded)
    }

    // list := "[" [expr ("," expr)*] "]"      range := "[" expr ".." expr ("]" | ")" | "[")
    private mutating func parseListOrRange() throws(FEELSyntaxError) -> Node {
        advance()
        var items: [Node] = []
        if !isSymbol("]") {
            repeat {
                if !items.isEmpty { advance() }
                items.append(try parseExpression())
                if items.count == 1, isSymbol("..") { return try parseRangeEnd(start: items[0], startIncluded: true) }
            } while isSymbol(",")
        }
        try expect(symbol: "]")
        return .list(items)
    }

    // context := "{" [key ":" expr ("," key ":" expr)*] "}"     key := name | string
    private mutating func parseContext() throws(FEELSyntaxError) -> Node {
        advance()
        var entries: [Node.ContextEntry] = []
        if !isSymbol("}") {
            repeat {
                if !entries.isEmpty { advance() }
                let key: String
                switch current.kind {
                case .name, .quotedName: key = try parseNameRun()
                case .keyword(let n), .string(let n):
                    advance()
                    key = n
                default: throw error("expected a context key")
                }
                try expect(symbol: ":")
                entries.append(.init(key: key, value: try parseExpression()))
            } while isSymbol(",")
        }
        try expect(symbol: "}")
        return .context(entries)
    }
}
