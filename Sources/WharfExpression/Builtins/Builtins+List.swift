import Foundation

/// List functions. Positions are 1-based and negative from the end; a fractional position
/// is truncated (`list replace([1,2,3], 2.5, 4)` replaces the second item, as in the TCK).
extension Builtins {
    static let list: [String: Builtin] = [
        "list contains": Builtin("list", "element") { c in
            guard let items = list(c[0]) else { return .null }
            return .bool(items.contains { Comparison.equal($0, c[1]).isTrue })
        },
        "count": Builtin("list") { c in list(c[0]).map { .number(Decimal($0.count)) } ?? .null },
        "sublist": Builtin("list", "start position", "length?") { c in
            guard let items = list(c[0]), let start = number(c[1])?.truncatedInt, start != 0 else { return .null }
            let from = start > 0 ? start - 1 : items.count + start
            guard from >= 0, from < items.count || (from == items.count && c.count == 2) else { return .null }
            var to = items.count
            if c.count == 3 {
                guard let length = number(c[2])?.truncatedInt, length >= 0, length <= items.count - from else { return .null }
                to = from + length
            }
            return .list(Array(items[from..<to]))
        },
        "append": Builtin("list", "item...") { c in
            guard let items = list(c[0]) else { return .null }
            return .list(items + c.args.dropFirst())
        },
        "concatenate": Builtin("list...") { c in
            var out: [FEELValue] = []
            for argument in c.args {
                guard let items = list(argument) else { return .null }
                out += items
            }
            return .list(out)
        },
        "insert before": Builtin("list", "position", "newItem") { c in
            guard var items = list(c[0]), let position = number(c[1])?.truncatedInt,
                  let i = index(position, count: items.count, allowingEnd: false) else { return .null }
            items.insert(c[2], at: i)
            return .list(items)
        },
        "remove": Builtin("list", "position") { c in
            guard var items = list(c[0]), let position = number(c[1])?.truncatedInt,
                  let i = index(position, count: items.count, allowingEnd: false) else { return .null }
            items.remove(at: i)
            return .list(items)
        },
        "reverse": Builtin("list") { c in list(c[0]).map { .list($0.reversed()) } ?? .null },
        "index of": Builtin("list", "match") { c in
            guard let items = list(c[0]) else { return .null }
            return .list(items.indices.filter { Comparison.equal(items[$0], c[1]).isTrue }.map { .number(Decimal($0 + 1)) })
        },
        "union": Builtin("list...") { c in
            var out: [FEELValue] = []
            for argument in c.args {
                guard let items = list(argument) else { return .null }
                for item in items where !out.contains(where: { Comparison.equal($0, item).isTrue }) { out.append(item) }
            }
            return .list(out)
        },
        "distinct values": Builtin("list") { c in
            guard let items = list(c[0]) else { return .null }
            return .list(distinct(items))
        },
        // Camunda: the values that occur more than once, each once.
        "duplicate values": Builtin("list") { c in
            guard let items = list(c[0]) else { return .null }
            let repeated = items.enumerated().filter { i, item in
                items[..<i].contains { Comparison.equal($0, item).isTrue }
            }.map(\.element)
            return .list(distinct(repeated))
        },
        "flatten": Builtin("list") { c in
            guard let items = list(c[0]) else { return .null }
            return .list(flatten(items))
        },
        "sort": Builtin("list", "precedes?") { c in
            guard let items = list(c[0]) else { return .null }
            let precedes: FEELFunction?
            switch c[1] {
            case .null: precedes = nil
            case .function(let f): precedes = f
            default: return .null
            }
            return try sort(items, precedes, call: c)
        },
        "list replace": Builtin(signatures: [["list", "position", "newItem"], ["list", "match", "newItem"]]) { c in
            guard var items = list(c[0]) else { return .null }
            switch c[1] {
            case .number(let n):
                guard let position = n.truncatedInt, let i = index(position, count: items.count, allowingEnd: false) else {
                    return .null
                }
                items[i] = c[2]
                return .list(items)
            case .function(let match):
                if let names = match.parameterNames, names.count != 2 { return .null }
                for i in items.indices {
                    switch try c.invoke(match, [items[i], c[2]]) {
                    case .bool(true): items[i] = c[2]
                    case .bool(false): continue
                    default: return .null
                    }
                }
                return .list(items)
            default:
                return .null
            }
        },
        "is empty": Builtin("list") { c in list(c[0]).map { .bool($0.isEmpty) } ?? .null },
        // Camunda: the list cut into sublists of `size`.
        "partition": Builtin("list", "size") { c in
            guard let items = list(c[0]), let size = integer(c[1]), size > 0 else { return .null }
            return .list(stride(from: 0, to: items.count, by: size).map { .list(Array(items[$0..<min($0 + size, items.count)])) })
        },
    ]

    /// 1-based position (negative from the end) to an array index; nil out of bounds.
    static func index(_ position: Int, count: Int, allowingEnd: Bool) -> Int? {
        let i = position > 0 ? position - 1 : count + position
        guard position != 0, i >= 0, i < count || (allowingEnd && i == count) else { return nil }
        return i
    }

    static func distinct(_ items: [FEELValue]) -> [FEELValue] {
        var out: [FEELValue] = []
        for item in items where !out.contains(where: { Comparison.equal($0, item).isTrue }) { out.append(item) }
        return out
    }

    static func flatten(_ items: [FEELValue]) -> [FEELValue] {
        items.flatMap { item -> [FEELValue] in
            if case .list(let inner) = item { return flatten(inner) }
            return [item]
        }
    }

    /// A stable merge sort on `precedes(a, b)` (true when a comes first), or on `<` when no
    /// function is given; null when the function answers anything but a boolean, or when
    /// the elements cannot be ordered.
    private static func sort(_ items: [FEELValue], _ precedes: FEELFunction?, call: BuiltinCall) throws(FEELEvaluationError) -> FEELValue {
        var failed = false
        func before(_ a: FEELValue, _ b: FEELValue) throws(FEELEvaluationError) -> Bool {
            let answer = try precedes.map { f throws(FEELEvaluationError) in try call.invoke(f, [a, b]) }
                ?? Comparison.apply(.less, a, b)
            guard case .bool(let result) = answer else { failed = true; return false }
            return result
        }
        func mergeSort(_ slice: ArraySlice<FEELValue>) throws(FEELEvaluationError) -> [FEELValue] {
            guard slice.count > 1 else { return Array(slice) }
            let middle = slice.startIndex + slice.count / 2
            let left = try mergeSort(slice[..<middle])
            let right = try mergeSort(slice[middle...])
            var out: [FEELValue] = []
            out.reserveCapacity(slice.count)
            var i = 0, j = 0
            while i < left.count, j < right.count {
                // Take from the right only when it strictly precedes: keeps equal items in order.
                if try before(right[j], left[i]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
            }
            return out + left[i...] + right[j...]
        }
        let sorted = try mergeSort(items[...])
        return failed ? .null : .list(sorted)
    }
}
