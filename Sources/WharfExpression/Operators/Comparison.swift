import Foundation

/// FEEL equality and ordering.
enum Comparison {
    static func apply(_ op: Node.BinaryOperator, _ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch op {
        case .equal: return equal(a, b)
        case .notEqual: return Logic.not(equal(a, b))
        default:
            guard let order = compare(a, b) else { return .null }
            switch op {
            case .less: return .bool(order == .orderedAscending)
            case .lessOrEqual: return .bool(order != .orderedDescending)
            case .greater: return .bool(order == .orderedDescending)
            default: return .bool(order != .orderedAscending)
            }
        }
    }

    /// FEEL equality: null equals only null (so `x = null` is the null test and `x != "a"`
    /// is true when x is missing); values of different types are not comparable (null).
    /// Date-times with zones compare as instants, so `…+01:00 = …@Europe/Paris` can be true.
    static func equal(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.null, .null): return .bool(true)
        case (.null, _), (_, .null): return .bool(false)
        case (.bool(let x), .bool(let y)): return .bool(x == y)
        case (.number(let x), .number(let y)): return .bool(x == y)
        case (.string(let x), .string(let y)): return .bool(x.unicodeScalars.elementsEqual(y.unicodeScalars))
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return .bool(false) }
            return allEqual(zip(x, y).map { equal($0, $1) })
        case (.context(let x), .context(let y)):
            guard Set(x.keys) == Set(y.keys) else { return .bool(false) }
            return allEqual(x.entries.map { equal($0.value, y[$0.key]!) })
        case (.date(let x), .date(let y)): return .bool(x == y)
        case (.time, .time), (.dateTime, .dateTime):
            return compare(a, b).map { .bool($0 == .orderedSame) } ?? .null
        case (.daysAndTimeDuration(let x), .daysAndTimeDuration(let y)): return .bool(x == y)
        case (.yearsAndMonthsDuration(let x), .yearsAndMonthsDuration(let y)): return .bool(x == y)
        case (.range(let x), .range(let y)):
            guard x.kind == y.kind, x.startIncluded == y.startIncluded, x.endIncluded == y.endIncluded else {
                return .bool(false)
            }
            return allEqual([endpointsEqual(x.start, y.start), endpointsEqual(x.end, y.end)])
        case (.function(let x), .function(let y)): return .bool(x == y)
        default: return .null
        }
    }

    private static func endpointsEqual(_ a: FEELValue?, _ b: FEELValue?) -> FEELValue {
        switch (a, b) {
        case (nil, nil): .bool(true)
        case (let x?, let y?): equal(x, y)
        default: .bool(false)
        }
    }

    private static func allEqual(_ results: [FEELValue]) -> FEELValue {
        if results.contains(.bool(false)) { return .bool(false) }
        return results.allSatisfy(\.isTrue) ? .bool(true) : .null
    }

    /// Ordering of numbers, strings (by code point), dates, times, date-times and durations
    /// of one kind; nil when the two cannot be ordered (null, other types, a local
    /// date-time against a zoned one). Times and date-times compare to the millisecond:
    /// the DMN TCK has `time("10:30:00.0001") = time("10:30:00.0002")`.
    static func compare(_ a: FEELValue, _ b: FEELValue) -> ComparisonResult? {
        switch (a, b) {
        case (.number(let x), .number(let y)): return order(x, y)
        case (.string(let x), .string(let y)):
            if x.unicodeScalars.elementsEqual(y.unicodeScalars) { return .orderedSame }
            return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? .orderedAscending : .orderedDescending
        case (.date(let x), .date(let y)): return order(x, y)
        case (.dateTime(let x), .dateTime(let y)):
            guard (x.zone == nil) == (y.zone == nil) else { return nil }
            return order(milliseconds(x.timeline), milliseconds(y.timeline))
        case (.time(let x), .time(let y)):
            guard (x.zone == nil) == (y.zone == nil) else { return nil }
            let offsets = x.zone == y.zone ? (0, 0) : (x.offsetSeconds ?? 0, y.offsetSeconds ?? 0)
            return order(milliseconds(x.exactSecondOfDay - Decimal(offsets.0)),
                         milliseconds(y.exactSecondOfDay - Decimal(offsets.1)))
        case (.daysAndTimeDuration(let x), .daysAndTimeDuration(let y)): return order(x, y)
        case (.yearsAndMonthsDuration(let x), .yearsAndMonthsDuration(let y)): return order(x, y)
        default: return nil
        }
    }

    private static func milliseconds(_ seconds: Decimal) -> Decimal { seconds.rounded(scale: 3, .down) }

    private static func order<T: Comparable>(_ x: T, _ y: T) -> ComparisonResult {
        x < y ? .orderedAscending : x == y ? .orderedSame : .orderedDescending
    }

    /// DMN's `is(a, b)`: the same type and the same value, zones included
    /// (`is(@"12:00:00Z", @"13:00:00+01:00")` is false though `=` says true).
    static func identical(_ a: FEELValue, _ b: FEELValue) -> Bool {
        switch (a, b) {
        case (.time(let x), .time(let y)): x == y
        case (.dateTime(let x), .dateTime(let y)): x == y
        default: a.typeName == b.typeName && equal(a, b).isTrue
        }
    }
}
