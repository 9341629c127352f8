import Foundation

/// Aggregates over a list, or over their arguments: `sum([1, 2])` and `sum(1, 2)` alike.
/// An element of the wrong type (null included) makes the result null.
extension Builtins {
    private static let listOrValues = [["list"], ["c1", "c2..."]]

    static let aggregate: [String: Builtin] = [
        "sum": Builtin(signatures: listOrValues) { c in
            guard let numbers = numbers(c), !numbers.isEmpty else { return .null }
            return Arithmetic.number(numbers.reduce(0, +))
        },
        "product": Builtin(signatures: listOrValues) { c in
            guard let numbers = numbers(c), !numbers.isEmpty else { return .null }
            return numbers.dropFirst().reduce(.number(numbers[0])) { Arithmetic.multiply($0, .number($1)) }
        },
        "mean": Builtin(signatures: listOrValues) { c in
            guard let numbers = numbers(c), !numbers.isEmpty else { return .null }
            return Arithmetic.divide(Arithmetic.number(numbers.reduce(0, +)), .number(Decimal(numbers.count)))
        },
        "median": Builtin(signatures: listOrValues) { c in
            guard let numbers = numbers(c)?.sorted(), !numbers.isEmpty else { return .null }
            let middle = numbers.count / 2
            if numbers.count % 2 == 1 { return .number(numbers[middle]) }
            return Arithmetic.number((numbers[middle - 1] + numbers[middle]) / 2)
        },
        // The sample standard deviation (n − 1), as DMN defines it.
        "stddev": Builtin(signatures: listOrValues) { c in
            guard let numbers = numbers(c), numbers.count > 1 else { return .null }
            let mean = numbers.reduce(0, +) / Decimal(numbers.count)
            let squares = numbers.reduce(Decimal(0)) { $0 + ($1 - mean) * ($1 - mean) }
            return squareRoot(squares / Decimal(numbers.count - 1)).map(Arithmetic.number) ?? .null
        },
        // The most frequent values, ascending.
        "mode": Builtin(signatures: listOrValues) { c in
            guard let numbers = numbers(c) else { return .null }
            var counts: [Decimal: Int] = [:]
            for n in numbers { counts[n, default: 0] += 1 }
            guard let top = counts.values.max() else { return .list([]) }
            return .list(counts.filter { $0.value == top }.keys.sorted().map(FEELValue.number))
        },
        "min": Builtin(signatures: listOrValues) { c in extreme(c, .orderedAscending) },
        "max": Builtin(signatures: listOrValues) { c in extreme(c, .orderedDescending) },
        "all": Builtin(signatures: listOrValues) { c in
            guard let items = listOrArguments(c) else { return .null }
            if items.contains(.bool(false)) { return .bool(false) }
            return items.allSatisfy(\.isTrue) ? .bool(true) : .null
        },
        "any": Builtin(signatures: listOrValues) { c in
            guard let items = listOrArguments(c) else { return .null }
            if items.contains(.bool(true)) { return .bool(true) }
            return items.allSatisfy { $0 == .bool(false) } ? .bool(false) : .null
        },
    ]

    private static func numbers(_ c: BuiltinCall) -> [Decimal]? {
        guard let items = listOrArguments(c) else { return nil }
        var out: [Decimal] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard case .number(let n) = item else { return nil }
            out.append(n)
        }
        return out
    }

    /// min / max over any orderable values of one type.
    private static func extreme(_ c: BuiltinCall, _ wanted: ComparisonResult) -> FEELValue {
        guard let items = listOrArguments(c), var best = items.first else { return .null }
        for item in items {
            guard let order = Comparison.compare(item, best) else { return .null }
            if order == wanted { best = item }
        }
        return best
    }

    /// Newton's method from Double's estimate: exact to Decimal's precision.
    static func squareRoot(_ n: Decimal) -> Decimal? {
        guard n >= 0 else { return nil }
        guard !n.isZero else { return 0 }
        var x = Decimal(shortest: sqrt(n.doubleValue))
        guard x.isFinite, !x.isZero else { return nil }
        for _ in 0..<4 { x = (x + n / x) / 2 }
        return x.feelRounded
    }
}
