import Foundation

/// Splits the source into tokens up front: expressions are short, and an array of tokens
/// makes the parser's lookahead (multi-word names, ranges, `in (…)` lists) trivial.
struct FEELLexer {
    static let keywords: Set<String> = [
        "if", "then", "else", "and", "or", "between", "in", "true", "false", "null",
        "for", "return", "some", "every", "satisfies", "function",
    ]
    /// Longest first, so that `..` wins over `.` and `**` over `*`.
    private static let symbols: [[Character]] = [
        "..", "**", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/",
        "(", ")", "[", "]", "{", "}", ",", ":", ".",
    ].map { Array($0) }

    let source: [Character]
    private var pos = 0

    init(source: [Character]) { self.source = source }

    mutating func tokenize() throws(FEELSyntaxError) -> [Token] {
        var tokens: [Token] = []
        while true {
            try skipWhitespaceAndComments()
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func error(_ message: String, at offset: Int) -> FEELSyntaxError {
        FEELSyntaxError(message, at: offset, in: source)
    }

    private func peek(_ offset: Int = 0) -> Character? {
        pos + offset < source.count ? source[pos + offset] : nil
    }

    /// Whitespace, `// to end of line` and `/* block */` comments.
    private mutating func skipWhitespaceAndComments() throws(FEELSyntaxError) {
        while let c = peek() {
            if c.isWhitespace {
                pos += 1
            } else if c == "/", peek(1) == "/" {
                while let d = peek(), d != "\n", d != "\r\n", d != "\r" { pos += 1 }
            } else if c == "/", peek(1) == "*" {
                let start = pos
                pos += 2
                while pos < source.count, !(source[pos] == "*" && peek(1) == "/") { pos += 1 }
                guard pos < source.count else { throw error("unterminated comment", at: start) }
                pos += 2
            } else {
                return
            }
        }
    }

    private static func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
    private static func isNamePart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
    private static func isDigit(_ c: Character?) -> Bool { c.map { $0.isASCII && $0.isNumber } ?? false }

    private mutating func next() throws(FEELSyntaxError) -> Token {
        let start = pos
        guard let c = peek() else { return Token(kind: .end, offset: pos) }
        func token(_ kind: Token.Kind) -> Token { Token(kind: kind, offset: start) }
        if FEELLexer.isNameStart(c) {
            while let d = peek(), FEELLexer.isNamePart(d) { pos += 1 }
            let word = String(source[start..<pos])
            return token(FEELLexer.keywords.contains(word) ? .keyword(word) : .name(word))
        }
        if c == "?" {
            pos += 1
            return token(.name("?"))
        }
        if FEELLexer.isDigit(c) || (c == "." && FEELLexer.isDigit(peek(1))) {
            return token(.number(try readNumber()))
        }
        if c == "\"" { return token(.string(try readString())) }
        if c == "@", peek(1) == "\"" {
            pos += 1
            return token(.at(try readString()))
        }
        if c == "`" {
            pos += 1
            while let d = peek(), d != "`" { pos += 1 }
            guard peek() == "`" else { throw error("unterminated name", at: start) }
            pos += 1
            return token(.quotedName(String(source[(start + 1)..<(pos - 1)])))
        }
        for symbol in FEELLexer.symbols where source[pos...].starts(with: symbol) {
            pos += symbol.count
            return token(.symbol(String(symbol)))
        }
        throw error("unexpected character \"\(c)\"", at: start)
    }

    /// `digits [. digits] [e [+-] digits]` or `. digits …`. Only a dot followed by a digit
    /// belongs to the number: `items[1].name` is number, "]", ".", name, and `1..5` a range.
    private mutating func readNumber() throws(FEELSyntaxError) -> Decimal {
        let start = pos
        while FEELLexer.isDigit(peek()) { pos += 1 }
        if peek() == ".", FEELLexer.isDigit(peek(1)) {
            pos += 1
            while FEELLexer.isDigit(peek()) { pos += 1 }
        }
        if peek() == "e" || peek() == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if FEELLexer.isDigit(peek(signed ? 2 : 1)) {
                pos += signed ? 2 : 1
                while FEELLexer.isDigit(peek()) { pos += 1 }
            }
        }
        let text = String(source[start..<pos])
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value.isFinite else {
            throw error("number out of range", at: start)
        }
        return value
    }

    private mutating func readString() throws(FEELSyntaxError) -> String {
        let start = pos
        pos += 1
        var out = String.UnicodeScalarView()
        while let c = peek() {
            if c == "\"" {
                pos += 1
                return String(out)
            }
            if c == "\\" {
                out.append(contentsOf: try readEscape())
                continue
            }
            out.append(contentsOf: c.unicodeScalars)
            pos += 1
        }
        throw error("unterminated string", at: start)
    }

    /// FEEL's escapes. Any other backslash is kept with its character, so that regular
    /// expressions can be written naturally: `split(s, "\s")`, `matches(x, "\d+")`.
    private mutating func readEscape() throws(FEELSyntaxError) -> [Unicode.Scalar] {
        let start = pos
        pos += 1
        guard let c = peek() else { throw error("unterminated string", at: start) }
        pos += 1
        switch c {
        case "\"": return ["\""]
        case "\\": return ["\\"]
        case "'": return ["'"]
        case "n": return ["\n"]
        case "r": return ["\r"]
        case "t": return ["\t"]
        case "b": return ["\u{08}"]
        case "f": return ["\u{0C}"]
        case "u": return [try readUnicodeEscape(start: start)]
        case "U":
            guard let v = readHex(6), let scalar = Unicode.Scalar(v) else {
                throw error("invalid \\U escape", at: start)
            }
            return [scalar]
        default:
            return ["\\"] + Array(c.unicodeScalars)
        }
    }

    private mutating func readUnicodeEscape(start: Int) throws(FEELSyntaxError) -> Unicode.Scalar {
        guard let high = readHex(4) else { throw error("invalid \\u escape", at: start) }
        // JSON-style surrogate pairs, so text copied from a JSON document keeps working.
        if (0xD800..<0xDC00).contains(high), peek() == "\\", peek(1) == "u" {
            pos += 2
            if let low = readHex(4), (0xDC00..<0xE000).contains(low),
               let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                return s
            }
            throw error("invalid surrogate pair", at: start)
        }
        guard let scalar = Unicode.Scalar(high) else { throw error("invalid \\u escape", at: start) }
        return scalar
    }

    private mutating func readHex(_ count: Int) -> UInt32? {
        guard pos + count <= source.count, source[pos..<pos + count].allSatisfy(\.isHexDigit),
              let v = UInt32(String(source[pos..<pos + count]), radix: 16)
        else { return nil }
        pos += count
        return v
    }
}
