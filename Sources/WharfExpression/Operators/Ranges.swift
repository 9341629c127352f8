import Foundation

/// Range values and the unary-test matching that `in` does.
enum Ranges {
    /// `[a..b]` as a value: the endpoints must be of one orderable type (or null, which
    /// DMN allows as an unknown end); otherwise the range itself is null.
    static func make(start: FEELValue, startIncluded: Bool, end: FEELValue, endIncluded: Bool) -> FEELValue {
        if start != .null, end != .null, Comparison.compare(start, end) == nil { return .null }
        if start != .null, end == .null, Comparison.compare(start, start) == nil { return .null }
        if end != .null, start == .null, Comparison.compare(end, end) == nil { return .null }
        return .range(FEELRange(start: start, startIncluded: startIncluded, end: end, endIncluded: endIncluded))
    }

    /// Does `value` pass the test `test` evaluated to? A range tests membership, a list
    /// holds the value (or a range that does), anything else must equal it.
    static func test(_ value: FEELValue, _ test: FEELValue) -> FEELValue {
        switch test {
        case .range(let range):
            return contains(range, value)
        case .list(let items):
            let found = items.contains { item in
                if case .range(let range) = item { return contains(range, value).isTrue }
                return Comparison.equal(value, item).isTrue
            }
            return .bool(found)
        default:
            return Comparison.equal(value, test)
        }
    }

    /// Three-valued: null when an endpoint cannot be compared with the value.
    static func contains(_ range: FEELRange, _ value: FEELValue) -> FEELValue {
        switch range.kind {
        case .equal: return Comparison.equal(value, range.start ?? .null)
        case .notEqual: return Logic.not(Comparison.equal(value, range.start ?? .null))
        default:
            var result = FEELValue.bool(true)
            if let start = range.start {
                result = Logic.and(result, Comparison.apply(range.startIncluded ? .lessOrEqual : .less, start, value))
            }
            if let end = range.end {
                result = Logic.and(result, Comparison.apply(range.endIncluded ? .lessOrEqual : .less, value, end))
            }
            return result
        }
    }
}
