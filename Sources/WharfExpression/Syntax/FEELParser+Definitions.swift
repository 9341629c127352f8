import Foundation

/// The textual forms that start with a keyword: iteration (`for`, `some`, `every`) and
/// function definitions.
extension FEELParser {
    /// `for a in x, b in 1..n return e`; `some a in x satisfies e`.
    mutating func parseIteration(_ quantifier: Node.Quantifier, body keyword: String) throws(FEELSyntaxError) -> Node {
        advance()
        var contexts: [Node.Iteration] = []
        repeat {
            if !contexts.isEmpty { advance() }  // the ","
            let name = try parseName(what: "a variable name")
            try expect(keyword: "in")
            let domain = try parseExpression()
            var upTo: Node?
            if isSymbol("..") {
                advance()
                upTo = try parseExpression()
            }
            contexts.append(.init(name: name, domain: domain, upTo: upTo))
        } while isSymbol(",")
        try expect(keyword: keyword)
        return .iteration(quantifier, contexts, try parseExpression())
    }

    /// `function(a, b: number) body`; parameter types are accepted and not enforced.
    mutating func parseFunctionDefinition() throws(FEELSyntaxError) -> Node {
        advance()
        try expect(symbol: "(")
        var parameters: [String] = []
        if !isSymbol(")") {
            repeat {
                if !parameters.isEmpty { advance() }
                parameters.append(try parseName(what: "a parameter name"))
                if isSymbol(":") {
                    advance()
                    _ = try parseType()
                }
            } while isSymbol(",")
        }
        try expect(symbol: ")")
        return .function(parameters: parameters, body: try parseExpression())
    }
}
