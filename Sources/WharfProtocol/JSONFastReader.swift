import Foundation

/// A strict JSON reader for the request shapes on the hot path (sends, receives, deletes).
///
/// It never decides an error: every method returns nil on anything outside plain, valid JSON
/// of the expected shape, and the caller then decodes the body again with `JSONDecoder`, whose
/// errors are the ones clients see. So this reader only has to be right about what it accepts,
/// which the differential fuzz target (Fuzz/FuzzJSONCodec) checks against `JSONDecoder`.
struct JSONFastReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` (after whitespace) if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// True when only whitespace is left.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    /// Walks the members of an object: `body` reads each member's value after its key and
    /// answers false to reject it (callers also reject a repeated key: JSONDecoder's choice
    /// between duplicates is not ours to guess).
    mutating func object(_ body: (inout JSONFastReader, String) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), consume(UInt8(ascii: ":")), body(&self, key) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// Reads an array, one element at a time through `element`.
    mutating func array<T>(_ element: (inout JSONFastReader) -> T?) -> [T]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var values: [T] = []
        if consume(UInt8(ascii: "]")) { return values }
        repeat {
            guard let value = element(&self) else { return nil }
            values.append(value)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? values : nil
    }

    mutating func stringArray() -> [String]? { array { $0.string() } }

    /// An integer written as plain digits (no fraction, no exponent, at most 18 digits).
    mutating func int() -> Int? {
        skipWhitespace()
        var position = index
        let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        let digitsStart = position
        var value = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            // Wrapping: a value past 18 digits is thrown away below.
            value = value &* 10 &+ Int(bytes[position] - 0x30)
            position += 1
        }
        let digits = position - digitsStart
        guard digits > 0, digits <= 18, !(digits > 1 && bytes[digitsStart] == 0x30) else { return nil }
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        index = position
        return negative ? -value : value
    }

    /// A string value. Unescaped runs are validated as UTF-8 in place; escapes are decoded.
    mutating func string() -> String? {
        guard consume(0x22) else { return nil }
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                // Plain ASCII cannot be invalid: skip the (generic, slower) validating init.
                return ascii ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
            }
            if byte == 0x5C { return escapedString(prefix: bytes[start..<index]) }
            if byte < 0x20 { return nil }
            ascii = ascii && byte < 0x80
            index += 1
        }
        return nil
    }

    /// The rest of a string that holds escapes, from the first backslash.
    private mutating func escapedString(prefix: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        var out = [UInt8](prefix)
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22:
                return String(validating: out, as: UTF8.self)
            case 0x5C:
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    UTF8.encode(scalar) { out.append($0) }
                default: return nil
                }
            default:
                if byte < 0x20 { return nil }
                out.append(byte)
            }
        }
        return nil
    }

    /// `XXXX` after `\u`, or a surrogate pair `XXXX\uXXXX`; a lone surrogate fails.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if high < 0xD800 || high > 0xDFFF { return Unicode.Scalar(high) }
        guard high < 0xDC00, index + 1 < bytes.count, bytes[index] == 0x5C, bytes[index + 1] == UInt8(ascii: "u")
        else { return nil }
        index += 2
        guard let low = hex4(), low >= 0xDC00, low <= 0xDFFF else { return nil }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
