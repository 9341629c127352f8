import Foundation

/// A syntax error, located so that a connector can reject a bad condition at start-up with
/// a message pointing at the character: `expected ")" at 1:14`.
public struct FEELSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 0-based offset in characters from the start of the source (the leading "=" included).
    public let offset: Int
    /// 1-based.
    public let line: Int
    /// 1-based, in characters.
    public let column: Int

    public var description: String { "\(message) at \(line):\(column)" }

    init(_ message: String, at offset: Int, in source: [Character]) {
        self.message = message
        self.offset = offset
        var line = 1
        var column = 1
        for c in source.prefix(offset) {
            if c == "\n" || c == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        self.line = line
        self.column = column
    }
}

struct Token: Equatable {
    enum Kind: Equatable {
        case name(String)
        case keyword(String)
        case string(String)
        case number(Decimal)
        case symbol(String)
        case end
    }

    let kind: Kind
    /// Character offset of the token's first character.
    let offset: Int
    /// True when whitespace precedes the token; multi-word function names are built from
    /// names separated only by whitespace.
    let spaced: Bool

    /// How the token is named in "expected X, found Y" messages.
    var display: String {
        switch kind {
        case .name(let n): "name \"\(n)\""
        case .keyword(let k): "\"\(k)\""
        case .string: "a string"
        case .number(let n): "number \(n)"
        case .symbol(let s): "\"\(s)\""
        case .end: "end of input"
        }
    }
}

/// Splits the source into tokens up front: expressions are short, and an array of tokens
/// makes the parser's one-token lookahead (and the multi-word name lookahead) trivial.
struct FEELLexer {
    static let keywords: Set<String> = [
        "if", "then", "else", "and", "or", "between", "in", "true", "false", "null",
    ]
    private static let symbols: [String] = [
        "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/",
        "(", ")", "[", "]", "{", "}", ",", ":", ".",
    ]

    let source: [Character]
    private var pos = 0

    init(source: [Character]) { self.source = source }

    mutating func tokenize() throws(FEELSyntaxError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let start = pos
            skipWhitespace()
            let spaced = pos > start
            let token = try next(spaced: spaced)
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func error(_ message: String, at offset: Int) -> FEELSyntaxError {
        FEELSyntaxError(message, at: offset, in: source)
    }

    private mutating func skipWhitespace() {
        while pos < source.count, source[pos].isWhitespace { pos += 1 }
    }

    private mutating func next(spaced: Bool) throws(FEELSyntaxError) -> Token {
        let start = pos
        guard pos < source.count else { return Token(kind: .end, offset: pos, spaced: spaced) }
        let c = source[pos]
        if c.isLetter || c == "_" {
            while pos < source.count, source[pos].isLetter || source[pos].isNumber || source[pos] == "_" {
                pos += 1
            }
            let word = String(source[start..<pos])
            let kind: Token.Kind = FEELLexer.keywords.contains(word) ? .keyword(word) : .name(word)
            return Token(kind: kind, offset: start, spaced: spaced)
        }
        if c.isASCII && c.isNumber || (c == "." && pos + 1 < source.count && source[pos + 1].isASCII
            && source[pos + 1].isNumber)
        {
            return Token(kind: .number(readNumber()), offset: start, spaced: spaced)
        }
        if c == "\"" {
            return Token(kind: .string(try readString()), offset: start, spaced: spaced)
        }
        for symbol in FEELLexer.symbols {
            let chars = Array(symbol)
            if source[pos...].starts(with: chars) {
                pos += chars.count
                return Token(kind: .symbol(symbol), offset: start, spaced: spaced)
            }
        }
        throw error("unexpected character \"\(c)\"", at: start)
    }

    private mutating func readNumber() -> Decimal {
        let start = pos
        func isDigit(_ i: Int) -> Bool { i < source.count && source[i].isASCII && source[i].isNumber }
        while isDigit(pos) { pos += 1 }
        // Only a dot followed by a digit belongs to the number: `items[1].name` must lex as
        // number, "]", ".", name.
        if pos < source.count, source[pos] == ".", isDigit(pos + 1) {
            pos += 1
            while isDigit(pos) { pos += 1 }
        }
        let text = String(source[start..<pos])
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }

    private mutating func readString() throws(FEELSyntaxError) -> String {
        let start = pos
        pos += 1
        var out = String.UnicodeScalarView()
        while pos < source.count {
            let c = source[pos]
            if c == "\"" {
                pos += 1
                return String(out)
            }
            if c == "\\" {
                out.append(try readEscape())
                continue
            }
            out.append(contentsOf: c.unicodeScalars)
            pos += 1
        }
        throw error("unterminated string", at: start)
    }

    private mutating func readEscape() throws(FEELSyntaxError) -> Unicode.Scalar {
        let start = pos
        pos += 1
        guard pos < source.count else { throw error("unterminated string", at: start) }
        let c = source[pos]
        pos += 1
        switch c {
        case "\"": return "\""
        case "\\": return "\\"
        case "'": return "'"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            let high = try readHex4(escapeStart: start)
            // JSON-style surrogate pairs, so text copied from a JSON document keeps working.
            if (0xD800..<0xDC00).contains(high), source[pos...].starts(with: ["\\", "u"]) {
                let lowStart = pos
                pos += 2
                let low = try readHex4(escapeStart: lowStart)
                if (0xDC00..<0xE000).contains(low),
                   let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                    return s
                }
                throw error("invalid surrogate pair", at: start)
            }
            guard let scalar = Unicode.Scalar(high) else {
                throw error("invalid \\u escape", at: start)
            }
            return scalar
        default:
            throw error("invalid escape \"\\\(c)\"", at: start)
        }
    }

    private mutating func readHex4(escapeStart: Int) throws(FEELSyntaxError) -> UInt32 {
        guard pos + 4 <= source.count, source[pos..<pos + 4].allSatisfy(\.isHexDigit),
              let v = UInt32(String(source[pos..<pos + 4]), radix: 16)
        else { throw error("invalid \\u escape", at: escapeStart) }
        pos += 4
        return v
    }
}
