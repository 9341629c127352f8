import Foundation

/// String functions. Lengths and positions count Unicode code points, as FEEL (and Java's
/// `codePointCount`) do, not grapheme clusters: `string length("😀")` is 1 but an accented
/// letter written with a combining mark is 2.
extension Builtins {
    static let string: [String: Builtin] = [
        "substring": Builtin("string", "start position", "length?") { c in
            guard let s = string(c[0]), let start = number(c[1])?.truncatedInt else { return .null }
            var length: Int?
            if c.count == 3 {
                guard let l = number(c[2])?.truncatedInt else { return .null }
                length = l
            }
            return substring(s, start: start, length: length)
        },
        "string length": Builtin("string") { c in
            string(c[0]).map { .number(Decimal($0.unicodeScalars.count)) } ?? .null
        },
        "upper case": Builtin("string") { c in string(c[0]).map { .string($0.uppercased()) } ?? .null },
        "lower case": Builtin("string") { c in string(c[0]).map { .string($0.lowercased()) } ?? .null },
        "substring before": Builtin("string", "match") { c in
            guard let s = string(c[0]), let m = string(c[1]) else { return .null }
            guard !m.isEmpty, let r = scalarRange(of: m, in: s) else { return .string("") }
            return .string(String(String.UnicodeScalarView(s.unicodeScalars[..<r.lowerBound])))
        },
        "substring after": Builtin("string", "match") { c in
            guard let s = string(c[0]), let m = string(c[1]) else { return .null }
            guard !m.isEmpty else { return .string(s) }
            guard let r = scalarRange(of: m, in: s) else { return .string("") }
            return .string(String(String.UnicodeScalarView(s.unicodeScalars[r.upperBound...])))
        },
        "contains": Builtin("string", "match") { c in
            guard let s = string(c[0]), let m = string(c[1]) else { return .null }
            return .bool(m.isEmpty || scalarRange(of: m, in: s) != nil)
        },
        "starts with": Builtin("string", "match") { c in
            guard let s = string(c[0]), let m = string(c[1]) else { return .null }
            return .bool(s.unicodeScalars.starts(with: m.unicodeScalars))
        },
        "ends with": Builtin("string", "match") { c in
            guard let s = string(c[0]), let m = string(c[1]) else { return .null }
            return .bool(s.unicodeScalars.reversed().starts(with: m.unicodeScalars.reversed()))
        },
        // The pattern is compiled before the input is looked at, so a bad pattern fails on
        // every message, not only on those where the input happens to be a string.
        "matches": Builtin("input", "pattern", "flags?") { c in
            guard let pattern = string(c[1]) else { return .null }
            let regex = try XPathRegex.compile(pattern, flags: try flags(c[2], pattern: pattern))
            guard let input = string(c[0]) else { return .null }
            return .bool(XPathRegex.firstMatch(regex, in: input))
        },
        "replace": Builtin("input", "pattern", "replacement", "flags?") { c in
            guard let pattern = string(c[1]), let replacement = string(c[2]) else { return .null }
            let regex = try XPathRegex.compile(pattern, flags: try flags(c[3], pattern: pattern))
            try XPathRegex.checkReplacement(replacement, pattern: pattern)
            guard let input = string(c[0]) else { return .null }
            return .string(regex.stringByReplacingMatches(in: input, range: XPathRegex.range(of: input), withTemplate: replacement))
        },
        "split": Builtin("string", "delimiter") { c in
            guard let delimiter = string(c[1]) else { return .null }
            let regex = try XPathRegex.compile(delimiter, flags: "")
            guard let s = string(c[0]) else { return .null }
            return .list(XPathRegex.split(s, by: regex).map(FEELValue.string))
        },
        // Camunda: every match of the pattern.
        "extract": Builtin("string", "pattern") { c in
            guard let pattern = string(c[1]) else { return .null }
            let regex = try XPathRegex.compile(pattern, flags: "")
            guard let s = string(c[0]) else { return .null }
            let ns = s as NSString
            return .list(regex.matches(in: s, range: XPathRegex.range(of: s)).map { .string(ns.substring(with: $0.range)) })
        },
        "string join": Builtin("list", "delimiter?") { c in
            guard let items = list(c[0]) else { return .null }
            let delimiter: String
            switch c[1] {
            case .null: delimiter = ""
            case .string(let d): delimiter = d
            default: return .null
            }
            var parts: [String] = []
            for item in items {
                switch item {
                case .null: continue
                case .string(let s): parts.append(s)
                default: return .null
                }
            }
            return .string(parts.joined(separator: delimiter))
        },
        // Camunda: whitespace removed at both ends.
        "trim": Builtin("string") { c in
            string(c[0]).map { .string($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? .null
        },
        "is blank": Builtin("string") { c in
            string(c[0]).map { .bool($0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty) } ?? .null
        },
        "uuid": Builtin { _ in .string(UUID().uuidString.lowercased()) },
        "to base64": Builtin("value") { c in
            string(c[0]).map { .string(Data($0.utf8).base64EncodedString()) } ?? .null
        },
        "encode for URI": Builtin("uri") { c in
            string(c[0]).flatMap { $0.addingPercentEncoding(withAllowedCharacters: uriUnreserved) }.map(FEELValue.string) ?? .null
        },
        "decode for URI": Builtin("encoded") { c in
            string(c[0]).flatMap { $0.removingPercentEncoding }.map(FEELValue.string) ?? .null
        },
    ]

    private static let uriUnreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    /// Flags of `matches`/`replace`: a string, or null for none.
    private static func flags(_ value: FEELValue, pattern: String) throws(FEELEvaluationError) -> String {
        switch value {
        case .null: return ""
        case .string(let f): return f
        default: throw FEELEvaluationError(.invalidPattern(pattern, reason: "flags must be a string"))
        }
    }

    /// FEEL substring: 1-based start, negative counts from the end, optional length.
    static func substring(_ s: String, start: Int, length: Int?) -> FEELValue {
        guard start != 0 else { return .null }
        let scalars = Array(s.unicodeScalars)
        let from = start > 0 ? start - 1 : scalars.count + start
        guard from >= 0, from <= scalars.count else { return .null }
        var to = scalars.count
        if let length {
            guard length >= 0 else { return .null }
            if length < to - from { to = from + length }  // no `from + length`: it may overflow
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[from..<to])
        return .string(String(out))
    }

    /// The first occurrence of `match` in `s`, by code points (no Unicode equivalence, as
    /// FEEL compares strings code point by code point).
    static func scalarRange(of match: String, in s: String) -> Range<String.UnicodeScalarView.Index>? {
        let needle = Array(match.unicodeScalars)
        let hay = s.unicodeScalars
        var i = hay.startIndex
        while i != hay.endIndex {
            if hay[i...].starts(with: needle) { return i..<hay.index(i, offsetBy: needle.count) }
            i = hay.index(after: i)
        }
        return nil
    }
}
