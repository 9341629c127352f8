import Foundation

/// XPath / XML Schema regular expressions (what FEEL's `matches`, `replace` and `split`
/// take), run on ICU through `NSRegularExpression`.
///
/// The dialects differ in a few places, translated here: XPath's class subtraction
/// `[A-Z-[OI]]` (ICU: `[A-Z&&[^OI]]`), block names `\p{IsBasicLatin}` (ICU: `\p{InBasicLatin}`),
/// `.` not matching `\r`, `$` matching only at the very end without the `m` flag, the `x`
/// flag removing whitespace outside classes, and the `q` flag (literal pattern). Back
/// references to groups not yet closed, and inside classes, are errors as in XPath.
enum XPathRegex {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var compiled: [String: NSRegularExpression] = [:]
    }

    private static let cache = Cache()

    /// The compiled pattern; cached, since a consumer evaluates the same condition per message.
    static func compile(_ pattern: String, flags: String) throws(FEELEvaluationError) -> NSRegularExpression {
        let key = flags + "/" + pattern
        cache.lock.lock()
        let known = cache.compiled[key]
        cache.lock.unlock()
        if let known { return known }
        guard flags.allSatisfy({ "smixq".contains($0) }) else {
            throw FEELEvaluationError(.invalidPattern(pattern, reason: "unknown flag in \"\(flags)\""))
        }
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        if flags.contains("s") { options.insert(.dotMatchesLineSeparators) }
        let translated = flags.contains("q")
            ? NSRegularExpression.escapedPattern(for: pattern)
            : try translate(flags.contains("x") ? withoutWhitespace(pattern) : pattern, original: pattern,
                            multiline: flags.contains("m"), dotAll: flags.contains("s"))
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: translated, options: options)
        } catch {
            throw FEELEvaluationError(.invalidPattern(pattern, reason: "not a valid regular expression"))
        }
        cache.lock.lock()
        if cache.compiled.count > 256 { cache.compiled.removeAll() }
        cache.compiled[key] = regex
        cache.lock.unlock()
        return regex
    }

    /// The `x` flag: whitespace goes before the pattern is read, except inside classes
    /// (so `hello\ sworld` is `hello\sworld` and `[ ]` still matches a space).
    private static func withoutWhitespace(_ pattern: String) -> String {
        var out = ""
        var classDepth = 0
        var escaped = false
        for c in pattern {
            if classDepth == 0, [" ", "\t", "\n", "\r"].contains(c) { continue }
            out.append(c)
            if escaped { escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "[": classDepth += 1
            case "]": classDepth = max(0, classDepth - 1)
            default: break
            }
        }
        return out
    }

    private static func translate(
        _ pattern: String, original: String, multiline: Bool, dotAll: Bool
    ) throws(FEELEvaluationError) -> String {
        func fail(_ reason: String) -> FEELEvaluationError { FEELEvaluationError(.invalidPattern(original, reason: reason)) }
        let chars = Array(pattern)
        var out = ""
        var classDepth = 0
        var openGroups: [Bool] = []  // capturing?
        var closedGroups = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                guard i + 1 < chars.count else { throw fail("trailing backslash") }
                let next = chars[i + 1]
                if next.isASCII, next.isNumber {
                    guard classDepth == 0 else { throw fail("back reference inside a character class") }
                    // Take as many digits as still name a closed group.
                    var j = i + 1
                    var number = 0
                    while j < chars.count, chars[j].isASCII, let d = chars[j].wholeNumberValue {
                        let candidate = number * 10 + d
                        if number > 0, candidate > closedGroups { break }
                        number = candidate
                        j += 1
                    }
                    guard number >= 1, number <= closedGroups else { throw fail("back reference to a missing group") }
                    out += "\\\(number)"
                    i = j
                    continue
                }
                if next == "p" || next == "P", i + 2 < chars.count, chars[i + 2] == "{" {
                    var j = i + 3
                    var name = ""
                    while j < chars.count, chars[j] != "}" {
                        name.append(chars[j])
                        j += 1
                    }
                    guard j < chars.count, !name.isEmpty, !name.contains(" ") else { throw fail("bad property escape") }
                    if name.hasPrefix("Is") { name = "In" + name.dropFirst(2) }
                    out += "\\\(next){\(name)}"
                    i = j + 1
                    continue
                }
                out += "\\" + String(next)
                i += 2
                continue
            case "[":
                if classDepth > 0 {
                    // Only reachable as the subtraction `-[` below; a bare "[" in a class is literal.
                    out += "\\["
                } else {
                    classDepth = 1
                    out += "["
                    if i + 1 < chars.count, chars[i + 1] == "^" { out += "^"; i += 1 }
                }
            case "-" where classDepth > 0 && i + 1 < chars.count && chars[i + 1] == "[":
                // XPath subtraction `[a-z-[aeiou]]` → ICU intersection with the complement.
                out += "&&[^"
                classDepth += 1
                i += 2
                if i < chars.count, chars[i] == "^" { throw fail("negated subtraction is not supported") }
                continue
            case "]" where classDepth > 0:
                classDepth -= 1
                out += "]"
            case "(" where classDepth == 0:
                let capturing = !(i + 1 < chars.count && chars[i + 1] == "?")
                openGroups.append(capturing)
                out += "("
            case ")" where classDepth == 0:
                guard let capturing = openGroups.popLast() else { throw fail("unbalanced parenthesis") }
                if capturing { closedGroups += 1 }
                out += ")"
            case "." where classDepth == 0 && !dotAll:
                out += "[^\\n\\r]"
            case "$" where classDepth == 0 && !multiline:
                out += "\\z"
            default:
                out.append(c)
            }
            i += 1
        }
        guard classDepth == 0 else { throw fail("unterminated character class") }
        return out
    }

    static func range(of s: String) -> NSRange { NSRange(s.startIndex..., in: s) }

    static func firstMatch(_ regex: NSRegularExpression, in s: String) -> Bool {
        regex.firstMatch(in: s, range: range(of: s)) != nil
    }

    /// XPath `fn:replace`'s replacement: `$N` groups, `\$` and `\\`; any other `\` or a `$`
    /// without a digit is an error. That is also NSRegularExpression's template syntax.
    static func checkReplacement(_ replacement: String, pattern: String) throws(FEELEvaluationError) {
        let chars = Array(replacement)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" {
                guard i + 1 < chars.count, chars[i + 1] == "\\" || chars[i + 1] == "$" else {
                    throw FEELEvaluationError(.invalidPattern(pattern, reason: "invalid replacement \(FEELValue.quoted(replacement))"))
                }
                i += 2
                continue
            }
            if chars[i] == "$" {
                guard i + 1 < chars.count, chars[i + 1].isASCII, chars[i + 1].isNumber else {
                    throw FEELEvaluationError(.invalidPattern(pattern, reason: "invalid replacement \(FEELValue.quoted(replacement))"))
                }
            }
            i += 1
        }
    }

    /// The pieces between matches, empty ones kept (XPath `fn:tokenize`).
    static func split(_ s: String, by regex: NSRegularExpression) -> [String] {
        let ns = s as NSString
        var pieces: [String] = []
        var start = 0
        for match in regex.matches(in: s, range: range(of: s)) where match.range.length > 0 {
            pieces.append(ns.substring(with: NSRange(location: start, length: match.range.location - start)))
            start = match.range.location + match.range.length
        }
        pieces.append(ns.substring(from: start))
        return pieces
    }
}
