import Foundation

/// The built-in functions of connectors.md §4. As with operators, a wrong argument type
/// gives null; only an unknown name, a wrong argument count or a bad pattern throws.
extension FEELEvaluator {
    /// Accepted argument counts.
    static let arities: [String: ClosedRange<Int>] = [
        "not": 1...1, "is defined": 1...1, "string": 1...1, "number": 1...1,
        "contains": 2...2, "starts with": 2...2, "ends with": 2...2,
        "upper case": 1...1, "lower case": 1...1, "substring": 2...3, "string length": 1...1,
        "matches": 2...3, "list contains": 2...2, "count": 1...1, "get value": 2...2,
        "now": 0...0, "today": 0...0,
    ]

    func call(
        _ name: String, _ arguments: [FEELExpression], in scope: Scope
    ) throws(FEELEvaluationError) -> FEELValue {
        guard let arity = FEELEvaluator.arities[name] else { throw .unknownFunction(name) }
        guard arity.contains(arguments.count) else {
            let expected = arity.count == 1 ? "\(arity.lowerBound)" : "\(arity.lowerBound) or \(arity.upperBound)"
            throw .wrongArity(function: name, expected: expected, got: arguments.count)
        }
        if name == "is defined" {
            // Must see the path itself: evaluating it would turn "missing" into null.
            return .bool(try resolve(arguments[0], in: scope) != nil)
        }
        var args: [FEELValue] = []
        for argument in arguments { args.append(try evaluate(argument, in: scope)) }
        return try apply(name, args)
    }

    private func apply(_ name: String, _ args: [FEELValue]) throws(FEELEvaluationError) -> FEELValue {
        switch (name, args.first) {
        case ("not", let a?): return Operators.not(a)
        case ("string", let a?): return Functions.string(a)
        case ("number", let a?): return Functions.number(a)
        case ("upper case", .string(let s)?): return .string(s.uppercased())
        case ("lower case", .string(let s)?): return .string(s.lowercased())
        case ("string length", .string(let s)?): return .number(Decimal(s.unicodeScalars.count))
        case ("count", .list(let items)?): return .number(Decimal(items.count))
        case ("substring", .string(let s)?): return Functions.substring(s, Array(args.dropFirst()))
        case ("matches", _): return try Functions.matches(args)
        case ("list contains", .list(let items)?):
            return .bool(items.contains { Operators.equal($0, args[1]).isTrue })
        case ("get value", .context(let c)?):
            guard case .string(let key) = args[1] else { return .null }
            return c[key] ?? .null
        case ("now", _): return .string(environment.now().formatted(.iso8601))
        case ("today", _):
            return .string(environment.now().formatted(Date.ISO8601FormatStyle().year().month().day()))
        case ("contains", .string(let s)?), ("starts with", .string(let s)?), ("ends with", .string(let s)?):
            guard case .string(let t) = args[1] else { return .null }
            switch name {
            case "contains": return .bool(t.isEmpty || s.contains(t))
            case "starts with": return .bool(s.hasPrefix(t))
            default: return .bool(s.hasSuffix(t))
            }
        default:
            return .null  // a known function given an argument of the wrong type
        }
    }
}

enum Functions {
    /// Lists and contexts print as JSON, the form a user would put in a log line or a key.
    static func string(_ value: FEELValue) -> FEELValue {
        switch value {
        case .null: .null
        case .string: value
        case .bool(let b): .string(b ? "true" : "false")
        case .number(let n): .string(n.description)
        case .list, .context: .string(value.jsonString())
        }
    }

    /// Strict: the whole string must be a number ("12abc" is null, not 12). Message
    /// attributes of DataType Number arrive as such strings.
    static func number(_ value: FEELValue) -> FEELValue {
        switch value {
        case .number: return value
        case .string(let s):
            guard isNumberText(s),
                  let n = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")), n.isFinite
            else { return .null }
            return .number(n)
        default: return .null
        }
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, checked by hand because
    /// Decimal(string:) accepts a numeric prefix and a Regex cannot be a Sendable constant.
    private static func isNumberText(_ s: String) -> Bool {
        var chars = s.utf8[...]
        func digits() -> Int {
            let n = chars.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            chars = chars.dropFirst(n)
            return n
        }
        func skip(_ set: String) -> Bool {
            guard let c = chars.first, set.utf8.contains(c) else { return false }
            chars = chars.dropFirst()
            return true
        }
        _ = skip("+-")
        var mantissa = digits()
        if skip(".") { mantissa += digits() }
        guard mantissa > 0 else { return false }
        if skip("eE") {
            _ = skip("+-")
            guard digits() > 0 else { return false }
        }
        return chars.isEmpty
    }

    /// FEEL substring: 1-based start, negative counts from the end, optional length;
    /// counted in Unicode code points like the rest of FEEL.
    static func substring(_ s: String, _ rest: [FEELValue]) -> FEELValue {
        guard case .number(let startValue) = rest[0], let start = startValue.exactInt, start != 0 else {
            return .null
        }
        let scalars = Array(s.unicodeScalars)
        let from = start > 0 ? start - 1 : scalars.count + start
        guard from >= 0, from <= scalars.count else { return .null }
        var to = scalars.count
        if rest.count == 2 {
            guard case .number(let lengthValue) = rest[1], let length = lengthValue.exactInt, length >= 0 else {
                return .null
            }
            if length < to - from { to = from + length }  // no `from + length`: it may overflow
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[from..<to])
        return .string(String(out))
    }

    /// XPath fn:matches semantics: true when the pattern matches anywhere in the input
    /// (anchor with ^ and $ for a whole match); flags i, s, m, x.
    /// The pattern is compiled before the input is looked at, so a bad pattern fails on
    /// every message, not only on those where the input happens to be a string.
    static func matches(_ args: [FEELValue]) throws(FEELEvaluationError) -> FEELValue {
        guard case .string(let pattern) = args[1] else { return .null }
        var flags = ""
        if args.count == 3 {
            guard case .string(let f) = args[2] else { return .null }
            guard f.allSatisfy({ "ismx".contains($0) }) else {
                throw .invalidPattern(pattern, reason: "unknown flag in \"\(f)\"")
            }
            flags = f
        }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(flags.isEmpty ? pattern : "(?\(flags))" + pattern)
        } catch {
            throw .invalidPattern(pattern, reason: "\(error)")
        }
        guard case .string(let input) = args[0] else { return .null }
        return .bool(input.firstMatch(of: regex) != nil)
    }
}
