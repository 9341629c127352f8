import Foundation

/// Strict parsers for the ISO 8601 / XML Schema forms FEEL accepts in `date("…")`,
/// `time("…")`, `date and time("…")`, `duration("…")` and `@"…"` literals.
///
/// Hand-written over the string's characters: the rules (four-digit years unless longer
/// and then without a leading zero, `24:00:00` only as end of day, no `+` before a year…)
/// are simpler to read as code than as regular expressions.
enum TemporalParser {
    /// What an `@"…"` literal holds.
    static func literal(_ text: String) -> FEELValue? {
        if text.hasPrefix("P") || text.hasPrefix("-P") { return duration(text) }
        if text.contains("T") { return dateTime(text).map(FEELValue.dateTime) }
        if let d = date(text) { return .date(d) }
        return time(text).map(FEELValue.time)
    }

    static func date(_ text: String) -> FEELDate? {
        var scanner = Scanner(text)
        guard let d = scanner.date(), scanner.atEnd else { return nil }
        return d
    }

    static func time(_ text: String) -> FEELTime? {
        var scanner = Scanner(text)
        guard let (t, endOfDay) = scanner.time(), scanner.atEnd, !endOfDay || t.secondOfDay == 0 else { return nil }
        return t
    }

    /// `date "T" time`, or a date alone (midnight, no zone) as `date and time("2018-12-10")`.
    static func dateTime(_ text: String) -> FEELDateTime? {
        var scanner = Scanner(text)
        guard let d = scanner.date() else { return nil }
        if scanner.atEnd { return FEELDateTime(date: d, time: FEELTime(hour: 0, minute: 0, second: 0)!) }
        guard scanner.take("T"), let (t, endOfDay) = scanner.time(), scanner.atEnd else { return nil }
        guard endOfDay else { return FEELDateTime(date: d, time: t) }
        // 24:00:00 is the midnight that ends the day.
        guard let next = d.adding(days: 1) else { return nil }
        return FEELDateTime(date: next, time: t)
    }

    /// `[-]P[nY][nM][nD][T[nH][nM][n[.f]S]]`: a years-and-months duration when only Y/M are
    /// given, a days-and-time one when only D/H/M/S are; both kinds at once is not a FEEL value.
    static func duration(_ text: String) -> FEELValue? {
        var scanner = Scanner(text)
        let negative = scanner.take("-")
        guard scanner.take("P") else { return nil }
        var years: Int?, months: Int?, days: Int?, hours: Int?, minutes: Int?
        var seconds: Decimal?
        var inTime = false
        var any = false
        while !scanner.atEnd {
            if !inTime, scanner.take("T") {
                inTime = true
                guard !scanner.atEnd else { return nil }
                continue
            }
            guard let number = scanner.digits(), let whole = Int(number) else { return nil }
            var fraction: String?
            if scanner.take(".") { fraction = scanner.digits() ?? "" }
            guard let unit = scanner.next() else { return nil }
            if fraction != nil && !(inTime && unit == "S") { return nil }
            any = true
            switch (inTime, unit) {
            case (false, "Y") where years == nil && months == nil && days == nil: years = whole
            case (false, "M") where months == nil && days == nil: months = whole
            case (false, "D") where days == nil: days = whole
            case (true, "H") where hours == nil && minutes == nil && seconds == nil: hours = whole
            case (true, "M") where minutes == nil && seconds == nil: minutes = whole
            case (true, "S") where seconds == nil:
                seconds = Decimal(string: number + "." + (fraction.map { $0.isEmpty ? "0" : $0 } ?? "0"))
            default: return nil
            }
        }
        guard any else { return nil }
        let hasYearMonth = years != nil || months != nil
        let hasDayTime = days != nil || hours != nil || minutes != nil || seconds != nil
        if hasYearMonth {
            guard !hasDayTime else { return nil }
            let (total, overflow) = (years ?? 0).multipliedReportingOverflow(by: 12)
            guard !overflow else { return nil }
            let (value, overflowed) = total.addingReportingOverflow(months ?? 0)
            guard !overflowed, value != Int.min else { return nil }
            return .yearsAndMonthsDuration(FEELYearsAndMonthsDuration(months: negative ? -value : value))
        }
        let total = Decimal(days ?? 0) * 86_400 + Decimal(hours ?? 0) * 3600 + Decimal(minutes ?? 0) * 60
            + (seconds ?? 0)
        return .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: negative ? -total : total))
    }
}

/// A cursor over the characters of a temporal string.
private struct Scanner {
    let chars: [Character]
    var pos = 0

    init(_ text: String) { chars = Array(text) }

    var atEnd: Bool { pos == chars.count }

    mutating func take(_ c: Character) -> Bool {
        guard pos < chars.count, chars[pos] == c else { return false }
        pos += 1
        return true
    }

    mutating func next() -> Character? {
        guard pos < chars.count else { return nil }
        defer { pos += 1 }
        return chars[pos]
    }

    /// One or more ASCII digits.
    mutating func digits() -> String? {
        let start = pos
        while pos < chars.count, chars[pos].isASCII, chars[pos].isNumber { pos += 1 }
        return pos > start ? String(chars[start..<pos]) : nil
    }

    mutating func fixed(_ count: Int) -> Int? {
        guard let d = digits(), d.count == count else { return nil }
        return Int(d)
    }

    mutating func date() -> FEELDate? {
        let negative = take("-")
        guard let yearText = digits(), yearText.count >= 4, yearText.count <= 9,
              yearText.count == 4 || yearText.first != "0", let year = Int(yearText),
              take("-"), let month = fixed(2), take("-"), let day = fixed(2)
        else { return nil }
        return FEELDate(year: negative ? -year : year, month: month, day: day)
    }

    /// A time and whether it was written as 24:00:00.
    mutating func time() -> (FEELTime, Bool)? {
        guard let hour = fixed(2), take(":"), let minute = fixed(2), take(":"), let second = fixed(2) else { return nil }
        var nanos = 0
        if take(".") {
            guard let fraction = digits() else { return nil }
            let nine = String((fraction + "000000000").prefix(9))
            nanos = Int(nine) ?? 0
        }
        guard let zone = zone() else { return nil }
        let endOfDay = hour == 24 && minute == 0 && second == 0 && nanos == 0
        guard let t = FEELTime(hour: endOfDay ? 0 : hour, minute: minute, second: second, nanosecond: nanos, zone: zone)
        else { return nil }
        return (t, endOfDay)
    }

    /// nil on a malformed zone; .some(nil) when there is none.
    mutating func zone() -> FEELZone?? {
        if atEnd { return .some(nil) }
        if take("Z") || take("z") { return .offset(0) }
        if take("@") {
            let id = String(chars[pos...])
            pos = chars.count
            return ZoneRules.isValid(id) ? .id(id) : nil
        }
        let sign: Int
        if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
        guard let h = fixed(2), take(":"), let m = fixed(2), h <= 18, m < 60 else { return nil }
        var s = 0
        if take(":") {
            guard let sec = fixed(2), sec < 60 else { return nil }
            s = sec
        }
        let total = h * 3600 + m * 60 + s
        guard total <= 18 * 3600 else { return nil }
        return .offset(sign * total)
    }
}
