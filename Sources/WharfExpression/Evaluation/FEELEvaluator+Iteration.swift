import Foundation

/// `for … return`, `some … satisfies`, `every … satisfies`.
extension FEELEvaluator {
    /// Iteration over more than this many elements of a numeric or date range is refused
    /// (null): `for i in 1..n` with a huge n would otherwise exhaust memory.
    static let maxRangeIteration = 1_000_000

    /// Several iteration contexts nest, the first outermost (`for a in x, b in y` yields
    /// every pair), and a later domain may use the earlier variables. In `for`, `partial` is
    /// the list of results so far.
    func iterate(
        _ quantifier: Node.Quantifier, _ contexts: [Node.Iteration], _ body: Node, in scope: Scope
    ) throws(FEELEvaluationError) -> FEELValue {
        var results: [FEELValue] = []
        var undefined = false
        func loop(_ level: Int, _ scope: Scope) throws(FEELEvaluationError) {
            guard level < contexts.count else {
                let value: FEELValue
                do {
                    // Scoped so that `partial` no longer shares the results' storage when
                    // the next one is appended (else every append would copy the list).
                    let bodyScope = quantifier == .for ? scope.binding("partial", to: .list(results)) : scope
                    value = try evaluate(body, in: bodyScope)
                }
                results.append(value)
                return
            }
            let context = contexts[level]
            guard let domain = try elements(of: context, in: scope) else {
                undefined = true
                return
            }
            for element in domain {
                try loop(level + 1, scope.binding(context.name, to: element))
                if undefined { return }
            }
        }
        try loop(0, scope)
        if undefined { return .null }
        switch quantifier {
        case .for: return .list(results)
        case .some: return .bool(results.contains(.bool(true)))
        case .every: return .bool(results.allSatisfy(\.isTrue))
        }
    }

    /// The values a variable takes: a list's elements, the integers (or days) of `a..b`
    /// counting up or down, the integers of a range value `[1..5)`; a single value is the
    /// list of itself. nil (the iteration is null) for anything else.
    private func elements(of context: Node.Iteration, in scope: Scope) throws(FEELEvaluationError) -> [FEELValue]? {
        let domain = try evaluate(context.domain, in: scope)
        if let upTo = context.upTo {
            return steps(from: domain, to: try evaluate(upTo, in: scope), includingStart: true, includingEnd: true)
        }
        switch domain {
        case .null: return nil
        case .list(let items): return items
        case .range(let r) where r.kind == .interval:
            guard let start = r.start, let end = r.end else { return nil }
            return steps(from: start, to: end, includingStart: r.startIncluded, includingEnd: r.endIncluded)
        case .range: return nil
        default: return [domain]
        }
    }

    private func steps(from start: FEELValue, to end: FEELValue, includingStart: Bool, includingEnd: Bool) -> [FEELValue]? {
        let first: Int, last: Int
        var isDate = false
        switch (start, end) {
        case (.number(let a), .number(let b)):
            guard let x = a.exactInt, let y = b.exactInt else { return nil }
            (first, last) = (x, y)
        case (.date(let a), .date(let b)):
            (first, last, isDate) = (a.epochDay, b.epochDay, true)
        default:
            return nil
        }
        let step = first <= last ? 1 : -1
        guard first != Int.min, first != Int.max, last != Int.min, last != Int.max else { return nil }
        let from = includingStart ? first : first + step
        let to = includingEnd ? last : last - step
        guard step > 0 ? from <= to : from >= to else { return [] }
        let (span, overflow) = to.subtractingReportingOverflow(from)
        guard !overflow, span.magnitude < FEELEvaluator.maxRangeIteration else { return nil }
        return stride(from: from, through: to, by: step).map { n in
            isDate ? FEELDate(epochDay: n).map(FEELValue.date) ?? .null : .number(Decimal(n))
        }
    }
}
