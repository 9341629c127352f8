import Foundation

/// Tree-walking evaluation. FEEL answers almost every problem (wrong types, missing names,
/// division by zero) with null; what throws is listed in `FEELEvaluationError`.
struct FEELEvaluator {
    let environment: FEELEnvironment
    /// For error positions.
    let source: [Character]
    let stack = StackGuard()

    /// User-defined functions may call each other this deep (if the stack allows it; see
    /// `StackGuard`) before evaluation stops with an error.
    static let maxCallDepth = 1000

    func evaluate(_ node: Node, in scope: Scope) throws(FEELEvaluationError) -> FEELValue {
        switch node {
        case .literal(let value):
            return value
        case .name, .member, .filter:
            return try resolve(node, in: scope) ?? .null
        case .call(let callee, let arguments, let offset):
            return try call(callee, arguments, at: offset, in: scope)
        case .negate(let operand):
            return Arithmetic.negate(try evaluate(operand, in: scope))
        case .binary(let op, let lhs, let rhs):
            return Operators.apply(op, try evaluate(lhs, in: scope), try evaluate(rhs, in: scope))
        case .and(let lhs, let rhs):
            // Both sides are always evaluated: there are no side effects to skip, and an
            // error (say, an unknown function) then shows on every message, not only on the
            // messages whose left side happened to be true.
            return Logic.and(try evaluate(lhs, in: scope), try evaluate(rhs, in: scope))
        case .or(let lhs, let rhs):
            return Logic.or(try evaluate(lhs, in: scope), try evaluate(rhs, in: scope))
        case .between(let value, let low, let high):
            let v = try evaluate(value, in: scope)
            return Logic.and(
                Comparison.apply(.lessOrEqual, try evaluate(low, in: scope), v),
                Comparison.apply(.lessOrEqual, v, try evaluate(high, in: scope)))
        case .in(let value, let tests):
            return try membership(try evaluate(value, in: scope), tests, in: scope)
        case .instanceOf(let value, let type):
            return .bool(type.contains(try evaluate(value, in: scope)))
        case .ifThenElse(let condition, let then, let otherwise):
            // FEEL: a null (or non-boolean) condition takes the else branch.
            let branch = try evaluate(condition, in: scope).isTrue ? then : otherwise
            return try evaluate(branch, in: scope)
        case .list(let items):
            var values: [FEELValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item, in: scope)) }
            return .list(values)
        case .context(let entries):
            let frame = ContextFrame()
            let inner = scope.pushing(frame)
            for entry in entries { frame.context[entry.key] = try evaluate(entry.value, in: inner) }
            return .context(frame.context)
        case .interval(let start, let startIncluded, let end, let endIncluded):
            return Ranges.make(start: try evaluate(start, in: scope), startIncluded: startIncluded,
                               end: try evaluate(end, in: scope), endIncluded: endIncluded)
        case .comparison(let kind, let endpoint):
            return .range(FEELRange(comparison: kind, try evaluate(endpoint, in: scope)))
        case .function(let parameters, let body):
            return .function(FEELFunction(implementation: .user(UserFunction(parameters: parameters, body: body, scope: scope))))
        case .iteration(let quantifier, let contexts, let body):
            return try iterate(quantifier, contexts, body, in: scope)
        }
    }

    /// `x in (t1, t2, …)`: true when a test matches, null when none does and one could
    /// not tell, false otherwise.
    func membership(
        _ value: FEELValue, _ tests: [Node.UnaryTest], in scope: Scope
    ) throws(FEELEvaluationError) -> FEELValue {
        var unknown = false
        let inputScope = scope.binding("?", to: value)
        for test in tests {
            let outcome = try evaluate(test.node, in: inputScope)
            // A test that uses `?` is a condition; its boolean is the answer.
            let matched: FEELValue = if test.usesInput, case .bool = outcome { outcome } else { Ranges.test(value, outcome) }
            if matched.isTrue { return .bool(true) }
            if matched != .bool(false) { unknown = true }
        }
        return unknown ? .null : .bool(false)
    }
}
