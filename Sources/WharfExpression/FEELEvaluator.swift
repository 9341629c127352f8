import Foundation

/// Name resolution frames, innermost last. Inside a filter the element's own keys come
/// first, then `item`, then the enclosing scopes; inside a context literal the entries
/// already evaluated are visible to later ones (`{a: 1, b: a + 1}`).
struct Scope {
    private var frames: [FEELValue]

    init(root: FEELValue) { frames = [root] }

    func pushing(_ frame: FEELValue) -> Scope {
        var copy = self
        copy.frames.append(frame)
        return copy
    }

    /// nil means missing, which `is defined` must tell apart from a present null.
    func lookup(_ name: String) -> FEELValue? {
        for frame in frames.reversed() {
            if let value = frame[name] { return value }
        }
        return nil
    }
}

struct FEELEvaluator {
    let environment: FEELEnvironment

    func evaluate(_ expression: FEELExpression, in scope: Scope) throws(FEELEvaluationError) -> FEELValue {
        switch expression {
        case .literal(let value):
            return value
        case .name, .member, .filter:
            return try resolve(expression, in: scope) ?? .null
        case .call(let name, let arguments):
            return try call(name, arguments, in: scope)
        case .negate(let operand):
            if case .number(let n) = try evaluate(operand, in: scope) { return .number(-n) }
            return .null
        case .binary(let op, let lhs, let rhs):
            return Operators.apply(op, try evaluate(lhs, in: scope), try evaluate(rhs, in: scope))
        case .and(let lhs, let rhs):
            // Both sides are always evaluated: there are no side effects to skip, and an
            // error (say, an unknown function) then shows on every message, not only on the
            // messages whose left side happened to be true.
            return Operators.and(try evaluate(lhs, in: scope), try evaluate(rhs, in: scope))
        case .or(let lhs, let rhs):
            return Operators.or(try evaluate(lhs, in: scope), try evaluate(rhs, in: scope))
        case .between(let value, let low, let high):
            let v = try evaluate(value, in: scope)
            return Operators.and(
                Operators.apply(.lessOrEqual, try evaluate(low, in: scope), v),
                Operators.apply(.lessOrEqual, v, try evaluate(high, in: scope)))
        case .in(let value, let candidates):
            return Operators.isIn(try evaluate(value, in: scope), try evaluate(candidates, in: scope))
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
            var context = FEELContext()
            for entry in entries {
                context[entry.key] = try evaluate(entry.value, in: scope.pushing(.context(context)))
            }
            return .context(context)
        }
    }

    /// Evaluates a path, returning nil when it does not exist. Anything that is not a path
    /// always exists (even the literal `null`).
    func resolve(_ expression: FEELExpression, in scope: Scope) throws(FEELEvaluationError) -> FEELValue? {
        switch expression {
        case .name(let name):
            return scope.lookup(name)
        case .member(let base, let key):
            switch try resolve(base, in: scope) {
            case .context(let context)?:
                return context[key]
            case .list(let items)?:
                // FEEL path on a list maps over it: `records.name` is the list of names.
                return .list(items.map { $0[key] ?? .null })
            default:
                return nil
            }
        case .filter(let base, let selector):
            guard let baseValue = try resolve(base, in: scope) else { return nil }
            return try select(from: baseValue, selector, in: scope)
        default:
            return try evaluate(expression, in: scope)
        }
    }

    /// `[n]` indexes when the selector is a number in the enclosing scope (1-based, negative
    /// from the end); otherwise it is a filter evaluated per element, keeping exactly-true.
    private func select(
        from base: FEELValue, _ selector: FEELExpression, in scope: Scope
    ) throws(FEELEvaluationError) -> FEELValue? {
        guard case .list(let items) = base else { return nil }
        if case .number(let n) = try evaluate(selector, in: scope) {
            guard let i = n.exactInt else { return nil }
            if i > 0, i <= items.count { return items[i - 1] }
            if i < 0, i >= -items.count { return items[items.count + i] }  // -Int.min traps
            return nil
        }
        var kept: [FEELValue] = []
        for item in items {
            let itemScope = scope.pushing(["item": item]).pushing(item)
            if try evaluate(selector, in: itemScope).isTrue { kept.append(item) }
        }
        return .list(kept)
    }
}
