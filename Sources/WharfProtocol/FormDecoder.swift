import SQSModel

/// `application/x-www-form-urlencoded` decoding, done on bytes so that malformed input is an
/// SQSError and never a crash or a silent replacement character.
enum FormDecoder {
    /// Decodes `a=1&b=2` into `tree`: a later duplicate key wins (also over what the tree
    /// had), a key without `=` has the value "".
    static func decode(_ bytes: [UInt8], into tree: inout QueryNode) throws(SQSError) {
        var start = 0
        while start < bytes.count {
            var end = start
            var equals: Int?
            while end < bytes.count, bytes[end] != UInt8(ascii: "&") {
                if equals == nil, bytes[end] == UInt8(ascii: "=") { equals = end }
                end += 1
            }
            if end > start {
                if let equals {
                    let key = try component(bytes[start..<equals])
                    tree.insert(key[...], value: try component(bytes[(equals + 1)..<end]))
                } else {
                    tree.insert(try component(bytes[start..<end])[...], value: "")
                }
            }
            start = end + 1
        }
    }

    /// '+' is a space (form rule), then %XX escapes, then strict UTF-8.
    static func component(_ bytes: ArraySlice<UInt8>) throws(SQSError) -> String {
        var out: [UInt8] = []
        if bytes.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) {
            out.reserveCapacity(bytes.count)
            var i = bytes.startIndex
            while i < bytes.endIndex {
                let b = bytes[i]
                if b == UInt8(ascii: "+") {
                    out.append(UInt8(ascii: " "))
                } else if b == UInt8(ascii: "%") {
                    guard i + 2 < bytes.endIndex, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) else {
                        throw invalidEscape()
                    }
                    out.append(hi << 4 | lo)
                    i += 2
                } else {
                    out.append(b)
                }
                i += 1
            }
        }
        guard let string = out.isEmpty ? String(validating: bytes, as: UTF8.self) : String(validating: out, as: UTF8.self) else {
            throw SQSError.malformedQueryString("The request parameters are not valid UTF-8.")
        }
        return string
    }

    private static func invalidEscape() -> SQSError {
        .malformedQueryString("The request parameters contain an invalid percent-encoding.")
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
