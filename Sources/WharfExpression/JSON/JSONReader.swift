import Foundation

/// A strict RFC 8259 reader producing FEELValue directly.
/// Message bodies come from whoever can send to the queue, so nesting depth is capped:
/// a body of 100 000 "[" must be rejected, not overflow the stack.
struct JSONReader {
    static let maxDepth = 512

    private let bytes: [UInt8]
    private var pos = 0
    private var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func readDocument() throws(FEELJSONError) -> FEELValue {
        // A UTF-8 byte order mark is legal before a JSON text and common in uploaded bodies.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        let value = try readValue()
        skipWhitespace()
        if pos < bytes.count { throw fail("unexpected data after the JSON value") }
        return value
    }

    private func fail(_ message: String) -> FEELJSONError {
        FEELJSONError(message: message, offset: pos)
    }

    private mutating func skipWhitespace() {
        while pos < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[pos]) { pos += 1 }
    }

    private mutating func readValue() throws(FEELJSONError) -> FEELValue {
        skipWhitespace()
        guard pos < bytes.count else { throw fail("unexpected end of JSON") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try readWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try readWord("null"); return .null
        default: return .number(try readNumber())
        }
    }

    private mutating func readWord(_ word: String) throws(FEELJSONError) {
        let w = Array(word.utf8)
        guard bytes[pos...].starts(with: w) else { throw fail("invalid literal") }
        pos += w.count
    }

    private mutating func enter() throws(FEELJSONError) {
        depth += 1
        if depth > JSONReader.maxDepth { throw fail("JSON nested too deeply") }
    }

    private mutating func readObject() throws(FEELJSONError) -> FEELValue {
        try enter()
        pos += 1
        var context = FEELContext()
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
            pos += 1; depth -= 1
            return .context(context)
        }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw fail("expected a string key")
            }
            let key = try readString()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected \":\"") }
            pos += 1
            context[key] = try readValue()
            skipWhitespace()
            guard pos < bytes.count else { throw fail("unterminated object") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw fail("expected \",\" or \"}\"")
        }
        depth -= 1
        return .context(context)
    }

    private mutating func readArray() throws(FEELJSONError) -> FEELValue {
        try enter()
        pos += 1
        var items: [FEELValue] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
            pos += 1; depth -= 1
            return .list(items)
        }
        while true {
            items.append(try readValue())
            skipWhitespace()
            guard pos < bytes.count else { throw fail("unterminated array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; break }
            throw fail("expected \",\" or \"]\"")
        }
        depth -= 1
        return .list(items)
    }

    private mutating func readString() throws(FEELJSONError) -> String {
        pos += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = pos
        // Copies unescaped runs in one go; only escapes are handled scalar by scalar.
        func flush(_ end: Int) throws(FEELJSONError) {
            guard runStart < end else { return }
            guard let run = String(bytes: bytes[runStart..<end], encoding: .utf8) else {
                throw FEELJSONError(message: "invalid UTF-8 in string", offset: runStart)
            }
            scalars.append(contentsOf: run.unicodeScalars)
        }
        while pos < bytes.count {
            let byte = bytes[pos]
            if byte == UInt8(ascii: "\"") {
                try flush(pos)
                pos += 1
                return String(scalars)
            }
            if byte < 0x20 { throw fail("control character in string") }
            if byte == UInt8(ascii: "\\") {
                try flush(pos)
                scalars.append(try readEscape())
                runStart = pos
                continue
            }
            pos += 1
        }
        throw fail("unterminated string")
    }

    private mutating func readEscape() throws(FEELJSONError) -> Unicode.Scalar {
        pos += 1
        guard pos < bytes.count else { throw fail("unterminated escape") }
        let c = bytes[pos]
        pos += 1
        switch c {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try readHex4()
            if (0xD800..<0xDC00).contains(high), bytes[pos...].starts(with: Array("\\u".utf8)) {
                pos += 2
                let low = try readHex4()
                if (0xDC00..<0xE000).contains(low),
                   let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                    return s
                }
                return "\u{FFFD}"
            }
            // A lone surrogate cannot be a Swift scalar; replace it rather than reject the body.
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        default:
            pos -= 1
            throw fail("invalid escape")
        }
    }

    private mutating func readHex4() throws(FEELJSONError) -> UInt32 {
        guard pos + 4 <= bytes.count,
              let s = String(bytes: bytes[pos..<pos + 4], encoding: .utf8),
              s.allSatisfy(\.isHexDigit), let v = UInt32(s, radix: 16)
        else { throw fail("invalid \\u escape") }
        pos += 4
        return v
    }

    private mutating func readNumber() throws(FEELJSONError) -> Decimal {
        let start = pos
        func digits() -> Int {
            let s = pos
            while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
            return pos - s
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        let intStart = pos
        let intDigits = digits()
        guard intDigits > 0 else { pos = start; throw fail("invalid value") }
        if intDigits > 1, bytes[intStart] == UInt8(ascii: "0") { throw fail("leading zero in number") }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard digits() > 0 else { throw fail("expected a digit after \".\"") }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw fail("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value.isFinite else {
            throw FEELJSONError(message: "number out of range", offset: start)
        }
        return value
    }
}
