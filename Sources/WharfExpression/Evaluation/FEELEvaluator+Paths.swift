import Foundation

/// Paths and filters: `a.b`, `list.b` (mapped), `list[3]`, `list[price > 10]`.
extension FEELEvaluator {
    /// Evaluates a path, returning nil when it does not exist. Anything that is not a path
    /// always exists (even the literal `null`).
    func resolve(_ node: Node, in scope: Scope) throws(FEELEvaluationError) -> FEELValue? {
        switch node {
        case .name(let name):
            return scope.lookup(name)
        case .member(let base, let key):
            guard let value = try resolve(base, in: scope) else { return nil }
            return Properties.member(of: value, key)
        case .filter(let base, let selector):
            guard let value = try resolve(base, in: scope) else { return nil }
            return try select(from: value, selector, in: scope)
        default:
            return try evaluate(node, in: scope)
        }
    }

    /// `[n]` indexes when the selector is a number in the enclosing scope (1-based, negative
    /// from the end); otherwise it is a filter evaluated per element, keeping exactly-true.
    /// A value that is not a list is filtered as the list of itself (`"foo"[1] = "foo"`),
    /// which is how FEEL treats singletons.
    private func select(
        from base: FEELValue, _ selector: Node, in scope: Scope
    ) throws(FEELEvaluationError) -> FEELValue? {
        let items: [FEELValue]
        switch base {
        case .null: return .null
        case .list(let list): items = list
        default: items = [base]
        }
        if case .number(let n) = try evaluate(selector, in: scope) {
            guard let i = n.exactInt else { return nil }
            if i > 0, i <= items.count { return items[i - 1] }
            if i < 0, i >= -items.count { return items[items.count + i] }  // -Int.min traps
            return nil
        }
        var kept: [FEELValue] = []
        for item in items {
            let itemScope = scope.binding("item", to: item).pushing(item)
            if try evaluate(selector, in: itemScope).isTrue { kept.append(item) }
        }
        return .list(kept)
    }
}

/// The named parts of values: context entries, and the properties of dates, times,
/// durations and ranges (`d.year`, `t.time offset`, `r.start included`). A list maps the
/// path over its elements.
enum Properties {
    static func member(of value: FEELValue, _ key: String) -> FEELValue? {
        switch value {
        case .context(let context):
            return context[key]
        case .list(let items):
            return .list(items.map { member(of: $0, key) ?? .null })
        case .date(let d):
            return dateProperty(d, key)
        case .dateTime(let dt):
            return dateProperty(dt.date, key) ?? timeProperty(dt.time, offset: dt.offsetSeconds, key)
        case .time(let t):
            return timeProperty(t, offset: t.offsetSeconds, key)
        case .yearsAndMonthsDuration(let d):
            switch key {
            case "years": return .number(Decimal(d.months / 12))
            case "months": return .number(Decimal(d.months % 12))
            default: return nil
            }
        case .daysAndTimeDuration(let d):
            let c = d.components
            switch key {
            case "days": return .number(c.days)
            case "hours": return .number(c.hours)
            case "minutes": return .number(c.minutes)
            case "seconds": return .number(c.seconds)
            default: return nil
            }
        case .range(let r):
            switch key {
            case "start": return r.start ?? .null
            case "end": return r.end ?? .null
            case "start included": return .bool(r.start != nil && r.startIncluded)
            case "end included": return .bool(r.end != nil && r.endIncluded)
            default: return nil
            }
        default:
            return nil
        }
    }

    private static func dateProperty(_ d: FEELDate, _ key: String) -> FEELValue? {
        switch key {
        case "year": .number(Decimal(d.year))
        case "month": .number(Decimal(d.month))
        case "day": .number(Decimal(d.day))
        case "weekday": .number(Decimal(d.weekday))
        default: nil
        }
    }

    private static func timeProperty(_ t: FEELTime, offset: Int?, _ key: String) -> FEELValue? {
        switch key {
        case "hour": return .number(Decimal(t.hour))
        case "minute": return .number(Decimal(t.minute))
        case "second": return .number(Decimal(t.second))
        case "time offset":
            return offset.map { .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: Decimal($0))) } ?? .null
        case "timezone":
            switch t.zone {
            case .id(let id)?: return .string(id)
            case .offset(let s)?: return .string(FEELZone.offsetText(s))
            case nil: return .null
            }
        default: return nil
        }
    }
}
