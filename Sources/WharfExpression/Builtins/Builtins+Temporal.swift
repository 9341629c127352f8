import Foundation

/// Date and time functions. Those that take a date accept a date and time too (its date).
extension Builtins {
    private static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                                     "September", "October", "November", "December"]

    static let temporal: [String: Builtin] = [
        "now": Builtin { c in .dateTime(now(c.environment)) },
        "today": Builtin { c in .date(now(c.environment).date) },
        "day of year": Builtin("date") { c in date(c[0]).map { .number(Decimal($0.dayOfYear)) } ?? .null },
        "day of week": Builtin("date") { c in date(c[0]).map { .string(dayNames[$0.weekday - 1]) } ?? .null },
        "month of year": Builtin("date") { c in date(c[0]).map { .string(monthNames[$0.month - 1]) } ?? .null },
        "week of year": Builtin("date") { c in date(c[0]).map { .number(Decimal($0.isoWeek)) } ?? .null },
        // Camunda: the last day of the date's month.
        "last day of month": Builtin("date") { c in
            guard let d = date(c[0]) else { return .null }
            return FEELDate(year: d.year, month: d.month, day: FEELDate.daysIn(month: d.month, year: d.year))
                .map(FEELValue.date) ?? .null
        },
    ]

    /// The environment's clock in its zone: an offset for UTC (printed `Z`), else the zone id.
    static func now(_ environment: FEELEnvironment) -> FEELDateTime {
        let date = environment.now()
        let seconds = date.timeIntervalSince1970
        let whole = Int(seconds.rounded(.down))
        let nanos = Int(((seconds - Double(whole)) * 1000).rounded(.down)) * 1_000_000
        let id = environment.timeZone.identifier
        let zone: FEELZone = ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(id) ? .offset(0)
            : ZoneRules.isValid(id) ? .id(id) : .offset(environment.timeZone.secondsFromGMT(for: date))
        return FEELDateTime(epochSecond: whole, nanosecond: nanos, zone: zone)!
    }
}
