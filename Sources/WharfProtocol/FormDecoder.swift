import SQSModel

/// `application/x-www-form-urlencoded` decoding, done on bytes so that malformed input is an
/// SQSError and never a crash or a silent replacement character.
enum FormDecoder {
    /// Decodes `a=1&b=2`; a later duplicate key wins, a key without `=` has the value "".
    static func decode(_ bytes: some Collection<UInt8>) throws(SQSError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let key: String
            let value: String
            if let eq = pair.firstIndex(of: UInt8(ascii: "=")) {
                key = try component(pair[pair.startIndex..<eq])
                value = try component(pair[pair.index(after: eq)...])
            } else {
                key = try component(pair)
                value = ""
            }
            result[key] = value
        }
        return result
    }

    /// '+' is a space (form rule), then %XX escapes, then strict UTF-8.
    static func component(_ bytes: some Collection<UInt8>) throws(SQSError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%") {
                let h = bytes.index(after: i)
                guard h != bytes.endIndex, let hi = hexValue(bytes[h]) else { throw invalidEscape() }
                let l = bytes.index(after: h)
                guard l != bytes.endIndex, let lo = hexValue(bytes[l]) else { throw invalidEscape() }
                out.append(hi << 4 | lo)
                i = l
            } else {
                out.append(b)
            }
            i = bytes.index(after: i)
        }
        guard let string = String(validating: out, as: UTF8.self) else {
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
