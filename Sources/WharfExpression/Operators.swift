import Foundation

/// Operator semantics. FEEL never throws for bad operands: anything it cannot give a
/// meaning to is null, and null then propagates (or loses, in three-valued logic).
enum Operators {
    static func apply(_ op: FEELExpression.BinaryOperator, _ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch op {
        case .add:
            switch (a, b) {
            case (.number(let x), .number(let y)): return number(x + y)
            case (.string(let x), .string(let y)): return .string(x + y)
            default: return .null  // FEEL: "a" + 1 is null; use string(1)
            }
        case .subtract: return arithmetic(a, b, -)
        case .multiply: return arithmetic(a, b, *)
        case .divide:
            // FEEL: division by zero is null, not an error.
            if case .number(let y) = b, y.isZero { return .null }
            return arithmetic(a, b, /)
        case .equal: return equal(a, b)
        case .notEqual: return Operators.not(equal(a, b))
        case .less: return order(a, b) { $0 == .orderedAscending }
        case .lessOrEqual: return order(a, b) { $0 != .orderedDescending }
        case .greater: return order(a, b) { $0 == .orderedDescending }
        case .greaterOrEqual: return order(a, b) { $0 != .orderedAscending }
        }
    }

    private static func arithmetic(
        _ a: FEELValue, _ b: FEELValue, _ f: (Decimal, Decimal) -> Decimal
    ) -> FEELValue {
        guard case .number(let x) = a, case .number(let y) = b else { return .null }
        return number(f(x, y))
    }

    /// Decimal overflow yields NaN; FEEL has no NaN, so it becomes null.
    private static func number(_ n: Decimal) -> FEELValue { n.isFinite ? .number(n) : .null }

    /// FEEL equality: null equals only null (so `x = null` is the null test and `x != "a"`
    /// is true when x is missing); values of different types are not comparable (null).
    static func equal(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.null, .null): return .bool(true)
        case (.null, _), (_, .null): return .bool(false)
        case (.bool(let x), .bool(let y)): return .bool(x == y)
        case (.number(let x), .number(let y)): return .bool(x == y)
        case (.string(let x), .string(let y)): return .bool(x == y)
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return .bool(false) }
            return allEqual(zip(x, y).map { equal($0, $1) })
        case (.context(let x), .context(let y)):
            guard Set(x.keys) == Set(y.keys) else { return .bool(false) }
            return allEqual(x.entries.map { equal($0.value, y[$0.key]!) })
        default: return .null
        }
    }

    private static func allEqual(_ results: [FEELValue]) -> FEELValue {
        if results.contains(.bool(false)) { return .bool(false) }
        return results.allSatisfy(\.isTrue) ? .bool(true) : .null
    }

    /// Ordering exists for numbers and for strings only; anything else (null included) is null.
    private static func order(
        _ a: FEELValue, _ b: FEELValue, _ test: (ComparisonResult) -> Bool
    ) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return .bool(test(x < y ? .orderedAscending : x == y ? .orderedSame : .orderedDescending))
        case (.string(let x), .string(let y)):
            return .bool(test(x < y ? .orderedAscending : x == y ? .orderedSame : .orderedDescending))
        default:
            return .null
        }
    }

    /// `x in [a, b]` is true when x equals some element. A non-list right side is a single
    /// candidate, so the result is plain equality (FEEL unary-test semantics).
    static func isIn(_ value: FEELValue, _ candidates: FEELValue) -> FEELValue {
        guard case .list(let items) = candidates else { return equal(value, candidates) }
        return .bool(items.contains { equal(value, $0).isTrue })
    }

    // Three-valued logic: a non-boolean operand counts as null.
    static func and(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        if a == .bool(false) || b == .bool(false) { return .bool(false) }
        if a.isTrue && b.isTrue { return .bool(true) }
        return .null
    }

    static func or(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        if a.isTrue || b.isTrue { return .bool(true) }
        if a == .bool(false) && b == .bool(false) { return .bool(false) }
        return .null
    }

    static func not(_ a: FEELValue) -> FEELValue {
        if case .bool(let b) = a { return .bool(!b) }
        return .null
    }
}
