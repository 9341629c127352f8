import Foundation

/// A FEEL days-and-time duration: an exact number of seconds, to the nanosecond.
/// `P1D` is always 24 hours (DMN), so days, hours and minutes are just a way of printing.
public struct FEELDaysAndTimeDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Total seconds, at most nine digits after the point.
    public let seconds: Decimal

    public init(seconds: Decimal) {
        // Java's Duration keeps nanoseconds; finer fractions are truncated like Java does.
        let truncated = seconds.rounded(scale: 9, .towardZero)
        self.seconds = truncated.isZero ? 0 : truncated
    }

    public static func < (a: Self, b: Self) -> Bool { a.seconds < b.seconds }

    /// The components FEEL exposes (`.days`, `.hours`, …), each with the duration's sign.
    var components: (days: Decimal, hours: Decimal, minutes: Decimal, seconds: Decimal) {
        let magnitude = seconds.magnitude
        let whole = magnitude.rounded(scale: 0, .down)
        let sign: Decimal = seconds < 0 ? -1 : 1
        let total = whole.exactInt ?? 0
        return (sign * Decimal(total / 86_400), sign * Decimal(total / 3600 % 24),
                sign * Decimal(total / 60 % 60), sign * (Decimal(total % 60) + (magnitude - whole)))
    }

    /// `P1DT2H3M4.5S`, `-PT1H`, `PT0S`: the canonical xsd:dayTimeDuration form.
    public var description: String {
        let c = components
        var text = seconds < 0 ? "-P" : "P"
        if c.days != 0 { text += "\(c.days.magnitude)D" }
        var timePart = ""
        if c.hours != 0 { timePart += "\(c.hours.magnitude)H" }
        if c.minutes != 0 { timePart += "\(c.minutes.magnitude)M" }
        if c.seconds != 0 { timePart += "\(c.seconds.magnitude)S" }
        if !timePart.isEmpty { text += "T" + timePart }
        return c.days == 0 && timePart.isEmpty ? "PT0S" : text
    }
}

/// A FEEL years-and-months duration: a whole number of months (`P1Y2M` is 14).
public struct FEELYearsAndMonthsDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let months: Int

    /// Int.min has no negation, so it is clamped by one month (far beyond any real value).
    public init(months: Int) { self.months = max(months, -Int.max) }

    public static func < (a: Self, b: Self) -> Bool { a.months < b.months }

    /// `P1Y2M`, `-P3M`, `P0M`: the canonical xsd:yearMonthDuration form.
    public var description: String {
        let years = months.magnitude / 12
        let rest = months.magnitude % 12
        var text = months < 0 ? "-P" : "P"
        if years != 0 { text += "\(years)Y" }
        if rest != 0 || years == 0 { text += "\(rest)M" }
        return text
    }
}
