import Foundation

/// Names and types.
///
/// FEEL names may contain spaces (`Monthly Salary`, `starts with`, `time offset`). The
/// parser does not know which variables exist (an expression is parsed once, before any
/// message), so a run of words separated only by whitespace is one name; two names side by
/// side are never valid FEEL anyway. Words are joined with single spaces. Keywords end a
/// run, except in the built-in names that contain one (`date and time(…)`, `get or else(…)`).
extension FEELParser {
    /// Built-in function names that contain a keyword; only taken when a call follows.
    private static let keywordFunctionNames: [[String]] = [
        ["date", "and", "time"], ["get", "or", "else"],
        ["years", "and", "months", "duration"], ["days", "and", "time", "duration"],
        ["encode", "for", "URI"], ["decode", "for", "URI"],
    ]

    /// Type names that contain a keyword.
    private static let keywordTypeNames: [[String]] = [
        ["date", "and", "time"], ["years", "and", "months", "duration"], ["days", "and", "time", "duration"],
    ]

    private func word(at offset: Int) -> String? {
        switch token(after: offset).kind {
        case .name(let w), .keyword(let w): w
        default: nil
        }
    }

    private func matches(_ words: [String]) -> Bool {
        words.indices.allSatisfy { word(at: $0) == words[$0] }
    }

    mutating func parseNameRun() throws(FEELSyntaxError) -> String {
        if case .quotedName(let name) = current.kind {
            advance()
            return name
        }
        for words in FEELParser.keywordFunctionNames
        where matches(words) && token(after: words.count).kind == .symbol("(") {
            for _ in words { advance() }
            return words.joined(separator: " ")
        }
        var words: [String] = []
        while let w = current.word {
            // `x instance of T`: "instance" starts the operator, not a longer name.
            if w == "instance", token(after: 1).word == "of", !words.isEmpty { break }
            words.append(w)
            advance()
        }
        guard !words.isEmpty else { throw error("expected a name") }
        return words.joined(separator: " ")
    }

    /// A variable or parameter name.
    mutating func parseName(what: String) throws(FEELSyntaxError) -> String {
        switch current.kind {
        case .name, .quotedName: return try parseNameRun()
        default: throw error("expected \(what)")
        }
    }

    /// After a ".": a name run, or a keyword (JSON bodies do have keys like "in" or "null").
    mutating func parseMemberName() throws(FEELSyntaxError) -> String {
        switch current.kind {
        case .name, .quotedName: return try parseNameRun()
        case .keyword(let k):
            advance()
            return k
        default: throw error("expected a name after \".\"")
        }
    }

    // type := name | "list" "<" type ">" | "range" "<" type ">"
    //       | "context" "<" name ":" type ("," name ":" type)* ">"
    //       | "function" "<" [type ("," type)*] ">" "->" type
    mutating func parseType() throws(FEELSyntaxError) -> FEELType {
        let start = current
        let saved = depth
        defer { depth = saved }
        try deeper()
        if isKeyword("function") {
            advance()
            var parameters: [FEELType] = []
            if isSymbol("<") {
                advance()
                if !isSymbol(">") {
                    repeat {
                        if !parameters.isEmpty { advance() }
                        parameters.append(try parseType())
                    } while isSymbol(",")
                }
                try expect(symbol: ">")
            }
            var result = FEELType.any
            if isSymbol("-"), token(after: 1).kind == .symbol(">") {
                advance()
                advance()
                result = try parseType()
            }
            return .function(parameters, result)
        }
        var name: String?
        for words in FEELParser.keywordTypeNames where matches(words) {
            for _ in words { advance() }
            name = words.joined(separator: " ")
            break
        }
        if name == nil, let w = current.word {
            advance()
            name = w
        }
        guard let name, let type = FEELType.named[name] else { throw error("expected a type", at: start) }
        guard isSymbol("<") else { return type }
        switch type {
        case .list, .range:
            advance()
            let element = try parseType()
            try expect(symbol: ">")
            return type == .range(.any) ? .range(element) : .list(element)
        case .context:
            advance()
            var entries: [(String, FEELType)] = []
            repeat {
                if !entries.isEmpty { advance() }
                let key = try parseName(what: "a context key")
                try expect(symbol: ":")
                entries.append((key, try parseType()))
            } while isSymbol(",")
            try expect(symbol: ">")
            return .context(entries)
        default:
            return type
        }
    }
}
