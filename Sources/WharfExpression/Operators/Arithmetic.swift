import Foundation

/// `+ - * / **` and unary minus, on numbers, strings (`+` only) and temporal values.
///
/// The temporal rules are DMN 1.5's (and the TCK's): a date used with a date-time or a
/// days-and-time duration counts as midnight UTC on that day; a local date-time never
/// mixes with a zoned one; years-and-months durations move the calendar fields, and
/// days-and-time durations move along the timeline.
enum Arithmetic {
    static func add(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)): return number(x + y)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.daysAndTimeDuration(let x), .daysAndTimeDuration(let y)):
            return .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: x.seconds + y.seconds))
        case (.yearsAndMonthsDuration(let x), .yearsAndMonthsDuration(let y)):
            return months(x.months.addingReportingOverflow(y.months))
        case (.daysAndTimeDuration, .date), (.daysAndTimeDuration, .dateTime), (.daysAndTimeDuration, .time),
             (.yearsAndMonthsDuration, .date), (.yearsAndMonthsDuration, .dateTime):
            return add(b, a)
        case (_, .daysAndTimeDuration(let d)): return shift(a, seconds: d.seconds)
        case (_, .yearsAndMonthsDuration(let d)): return shift(a, months: d.months)
        default: return .null  // FEEL: "a" + 1 is null; use string(1)
        }
    }

    static func subtract(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)): return number(x - y)
        case (.daysAndTimeDuration(let x), .daysAndTimeDuration(let y)):
            return .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: x.seconds - y.seconds))
        case (.yearsAndMonthsDuration(let x), .yearsAndMonthsDuration(let y)):
            return months(x.months.subtractingReportingOverflow(y.months))
        case (.date, .daysAndTimeDuration(let d)), (.dateTime, .daysAndTimeDuration(let d)), (.time, .daysAndTimeDuration(let d)):
            return shift(a, seconds: -d.seconds)
        case (.date, .yearsAndMonthsDuration(let d)), (.dateTime, .yearsAndMonthsDuration(let d)):
            return shift(a, months: -d.months)
        case (.time(let x), .time(let y)):
            guard (x.zone == nil) == (y.zone == nil) else { return .null }
            let offsets = x.zone == y.zone ? (0, 0) : (x.offsetSeconds ?? 0, y.offsetSeconds ?? 0)
            let seconds = (x.exactSecondOfDay - Decimal(offsets.0)) - (y.exactSecondOfDay - Decimal(offsets.1))
            return .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: seconds))
        case (.date, .date), (.date, .dateTime), (.dateTime, .date), (.dateTime, .dateTime):
            guard let x = asDateTime(a), let y = asDateTime(b), (x.zone == nil) == (y.zone == nil) else { return .null }
            return .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: x.timeline - y.timeline))
        default: return .null
        }
    }

    static func multiply(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)): return number(x * y)
        case (.daysAndTimeDuration(let d), .number(let n)), (.number(let n), .daysAndTimeDuration(let d)):
            return seconds(d.seconds * n)
        case (.yearsAndMonthsDuration(let d), .number(let n)), (.number(let n), .yearsAndMonthsDuration(let d)):
            return months(Decimal(d.months) * n)
        default: return .null
        }
    }

    /// Division by zero (a number or a zero duration) is null, not an error.
    static func divide(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch (a, b) {
        case (.number(let x), .number(let y)): return y.isZero ? .null : number(x / y)
        case (.daysAndTimeDuration(let d), .number(let n)): return n.isZero ? .null : seconds(d.seconds / n)
        case (.yearsAndMonthsDuration(let d), .number(let n)): return n.isZero ? .null : months(Decimal(d.months) / n)
        case (.daysAndTimeDuration(let x), .daysAndTimeDuration(let y)):
            return y.seconds.isZero ? .null : number(x.seconds / y.seconds)
        case (.yearsAndMonthsDuration(let x), .yearsAndMonthsDuration(let y)):
            return y.months == 0 ? .null : number(Decimal(x.months) / Decimal(y.months))
        default: return .null
        }
    }

    static func power(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        guard case .number(let x) = a, case .number(let y) = b, let result = x.power(y) else { return .null }
        return number(result)
    }

    static func negate(_ a: FEELValue) -> FEELValue {
        switch a {
        case .number(let n): .number(-n)
        case .daysAndTimeDuration(let d): .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: -d.seconds))
        case .yearsAndMonthsDuration(let d): .yearsAndMonthsDuration(FEELYearsAndMonthsDuration(months: -d.months))
        default: .null
        }
    }

    /// Decimal overflow yields NaN; FEEL has no NaN, so it becomes null.
    static func number(_ n: Decimal) -> FEELValue {
        let rounded = n.feelRounded
        return rounded.isFinite ? .number(rounded) : .null
    }

    private static func seconds(_ s: Decimal) -> FEELValue {
        s.isFinite ? .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: s)) : .null
    }

    /// A months count from a product or quotient: truncated toward zero, as Camunda does
    /// (`@"P1Y11M" * -2.5` is `-P4Y9M`).
    private static func months(_ m: Decimal) -> FEELValue {
        guard let whole = m.truncatedInt else { return .null }
        return .yearsAndMonthsDuration(FEELYearsAndMonthsDuration(months: whole))
    }

    private static func months(_ result: (partialValue: Int, overflow: Bool)) -> FEELValue {
        result.overflow ? .null : .yearsAndMonthsDuration(FEELYearsAndMonthsDuration(months: result.partialValue))
    }

    /// A date as the date-time DMN makes of it for arithmetic: midnight UTC.
    static func asDateTime(_ value: FEELValue) -> FEELDateTime? {
        switch value {
        case .dateTime(let dt): dt
        case .date(let d): FEELDateTime(date: d, time: FEELTime(hour: 0, minute: 0, second: 0, zone: .offset(0))!)
        default: nil
        }
    }

    /// date / date-time / time moved by an exact duration. A date stays a date (the day
    /// reached from its midnight UTC); a time wraps around midnight.
    private static func shift(_ value: FEELValue, seconds: Decimal) -> FEELValue {
        switch value {
        case .date:
            return asDateTime(value)?.adding(seconds: seconds).map { .date($0.date) } ?? .null
        case .dateTime(let dt): return dt.adding(seconds: seconds).map(FEELValue.dateTime) ?? .null
        case .time(let t): return .time(t.adding(seconds: seconds))
        default: return .null
        }
    }

    /// date / date-time moved by calendar months (the day is clamped to the month's end).
    private static func shift(_ value: FEELValue, months: Int) -> FEELValue {
        switch value {
        case .date(let d): return d.adding(months: months).map(FEELValue.date) ?? .null
        case .dateTime(let dt):
            return dt.date.adding(months: months).map { .dateTime(FEELDateTime(date: $0, time: dt.time)) } ?? .null
        default: return .null
        }
    }
}
