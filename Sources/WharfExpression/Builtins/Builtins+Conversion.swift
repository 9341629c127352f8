import Foundation

/// Conversion functions: date, time, date and time, duration, years and months duration,
/// number, string, context.
extension Builtins {
    static let conversion: [String: Builtin] = [
        "date": Builtin(signatures: [["from"], ["year", "month", "day"]]) { c in
            if c.count == 1 {
                switch c[0] {
                case .string(let s): return TemporalParser.date(s).map(FEELValue.date) ?? .null
                case .date, .dateTime: return date(c[0]).map(FEELValue.date) ?? .null
                default: return .null
                }
            }
            guard let y = integer(c[0]), let m = integer(c[1]), let d = integer(c[2]) else { return .null }
            return FEELDate(year: y, month: m, day: d).map(FEELValue.date) ?? .null
        },
        "date and time": Builtin(signatures: [["from"], ["date", "time"]]) { c in
            if c.count == 1 {
                switch c[0] {
                case .string(let s): return TemporalParser.dateTime(s).map(FEELValue.dateTime) ?? .null
                case .dateTime: return c[0]
                case .date(let d): return .dateTime(FEELDateTime(date: d, time: FEELTime(hour: 0, minute: 0, second: 0)!))
                default: return .null
                }
            }
            guard let d = date(c[0]), case .time(let t) = c[1] else { return .null }
            return .dateTime(FEELDateTime(date: d, time: t))
        },
        "time": Builtin(signatures: [["from"], ["hour", "minute", "second", "offset?"]]) { c in
            if c.count == 1 {
                switch c[0] {
                case .string(let s): return TemporalParser.time(s).map(FEELValue.time) ?? .null
                case .time: return c[0]
                case .dateTime(let dt): return .time(dt.time)
                case .date: return .time(FEELTime(hour: 0, minute: 0, second: 0, zone: .offset(0))!)
                default: return .null
                }
            }
            return time(hour: c[0], minute: c[1], second: c[2], offset: c[3])
        },
        "duration": Builtin("from") { c in
            guard let s = string(c[0]) else { return .null }
            return TemporalParser.duration(s) ?? .null
        },
        "years and months duration": Builtin("from", "to") { c in
            guard let from = c[0].calendarPoint, let to = c[1].calendarPoint else { return .null }
            return .yearsAndMonthsDuration(FEELYearsAndMonthsDuration(months: monthsBetween(from, to)))
        },
        "number": Builtin("from", "grouping separator?", "decimal separator?") { c in
            number(from: c[0], grouping: c[1], decimal: c[2])
        },
        "string": Builtin("from") { c in stringValue(c[0]) },
        "context": Builtin("entries") { c in
            guard let entries = list(c[0]) else { return .null }
            var context = FEELContext()
            for entry in entries {
                guard case .context(let e) = entry, case .string(let key)? = e["key"], let value = e["value"] else {
                    return .null
                }
                context[key] = value
            }
            return .context(context)
        },
    ]

    /// `time(hour, minute, second, offset?)`: the second may have a fraction, the offset is
    /// a days-and-time duration (or null for a local time).
    private static func time(hour: FEELValue, minute: FEELValue, second: FEELValue, offset: FEELValue) -> FEELValue {
        guard let h = integer(hour), let m = integer(minute), let s = number(second), s >= 0 else { return .null }
        let whole = s.rounded(scale: 0, .down)
        let nanos = ((s - whole) * 1_000_000_000).rounded(scale: 0, .down).exactInt ?? 0
        var zone: FEELZone?
        switch offset {
        case .null: zone = nil
        case .daysAndTimeDuration(let d):
            guard let seconds = d.seconds.exactInt, seconds.magnitude <= 18 * 3600 else { return .null }
            zone = .offset(seconds)
        default: return .null
        }
        guard let ws = whole.exactInt else { return .null }
        return FEELTime(hour: h, minute: m, second: ws, nanosecond: nanos, zone: zone).map(FEELValue.time) ?? .null
    }

    /// Whole months from one day (and time) to another, as Java's `Period.between` /
    /// `ChronoUnit.MONTHS.between`: a month counts once its day and time are reached.
    private static func monthsBetween(_ from: (FEELDate, Int), _ to: (FEELDate, Int)) -> Int {
        var months = (to.0.year * 12 + to.0.month) - (from.0.year * 12 + from.0.month)
        let fromRest = (from.0.day, from.1)
        let toRest = (to.0.day, to.1)
        if months > 0 && toRest < fromRest { months -= 1 }
        if months < 0 && toRest > fromRest { months += 1 }
        return months
    }

    /// `number("1.000.000,01", ".", ",")`. Grouping separators are space, comma or period;
    /// decimal separators comma or period; the two must differ. The rest must be a plain
    /// FEEL number.
    static func number(from: FEELValue, grouping: FEELValue, decimal: FEELValue) -> FEELValue {
        // A number is already one (Wharf has always answered `number(4)` with 4).
        if case .number = from, grouping == .null, decimal == .null { return from }
        guard case .string(var text) = from else { return .null }
        let group: String?
        switch grouping {
        case .null: group = nil
        case .string(let g) where [" ", ",", "."].contains(g): group = g
        default: return .null
        }
        let point: String?
        switch decimal {
        case .null: point = nil
        case .string(let d) where [",", "."].contains(d): point = d
        default: return .null
        }
        if let group, group == point { return .null }
        if let group { text = text.replacingOccurrences(of: group, with: "") }
        if let point, point != "." {
            guard !text.contains(".") else { return .null }
            text = text.replacingOccurrences(of: point, with: ".")
        }
        guard isNumberText(text), let n = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), n.isFinite
        else { return .null }
        return .number(n)
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, checked by hand because
    /// Decimal(string:) accepts a numeric prefix ("12abc" would be 12).
    static func isNumberText(_ s: String) -> Bool {
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

    /// `string(x)`. Lists and contexts print as JSON, the form a user would put in a log
    /// line or a key; dates, times and durations as their ISO text.
    static func stringValue(_ value: FEELValue) -> FEELValue {
        switch value {
        case .null, .function: .null
        case .string: value
        case .bool(let b): .string(b ? "true" : "false")
        case .number(let n): .string(n.description)
        case .list, .context: .string(value.jsonString())
        case .date(let d): .string(d.description)
        case .time(let t): .string(t.description)
        case .dateTime(let dt): .string(dt.description)
        case .daysAndTimeDuration(let d): .string(d.description)
        case .yearsAndMonthsDuration(let d): .string(d.description)
        case .range(let r): .string(r.description)
        }
    }
}

extension FEELValue {
    /// A date or date-time as (day, second of day) for month counting; zones are ignored.
    fileprivate var calendarPoint: (FEELDate, Int)? {
        switch self {
        case .date(let d): (d, 0)
        case .dateTime(let dt): (dt.date, dt.time.secondOfDay)
        default: nil
        }
    }
}
