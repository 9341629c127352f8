import Foundation

/// A FEEL date: a proleptic Gregorian calendar day, years −999 999 999 to 999 999 999
/// (year 0 exists, as in ISO 8601 and Java's `LocalDate`).
///
/// Calendar arithmetic is done here on day numbers rather than with Foundation's
/// `Calendar`, which does not reach the negative and nine-digit years FEEL allows.
public struct FEELDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public static let maxYear = 999_999_999

    /// nil when the fields do not name a day (`2017-02-30`) or the year is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard year.magnitude <= FEELDate.maxYear, (1...12).contains(month),
              day >= 1, day <= FEELDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's days_from_civil.
    public var epochDay: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = month
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `epochDay` (civil_from_days); nil outside the year range.
    public init?(epochDay: Int) {
        guard epochDay.magnitude < 1_000_000_000_000 else { return nil }
        let z = epochDay + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yearOfEra + era * 400 + (m <= 2 ? 1 : 0)
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// ISO day of the week: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        let d = (epochDay + 3) % 7  // 1970-01-01 was a Thursday
        return (d < 0 ? d + 7 : d) + 1
    }

    public var dayOfYear: Int {
        epochDay - FEELDate(year: year, month: 1, day: 1)!.epochDay + 1
    }

    /// ISO 8601 week number: week 1 holds the year's first Thursday.
    public var isoWeek: Int {
        // The Thursday of this date's week decides which year the week belongs to.
        let thursday = FEELDate(epochDay: epochDay - weekday + 4) ?? self
        return (thursday.dayOfYear - 1) / 7 + 1
    }

    /// Adds calendar months, keeping the day when the month has it and otherwise taking the
    /// month's last day (Jan 31 + 1 month = Feb 28/29), as Java's `plusMonths` does.
    public func adding(months: Int) -> FEELDate? {
        let (total, overflow) = (year * 12 + (month - 1)).addingReportingOverflow(months)
        guard !overflow else { return nil }
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        guard y.magnitude <= FEELDate.maxYear else { return nil }
        return FEELDate(year: y, month: m, day: min(day, FEELDate.daysIn(month: m, year: y)))
    }

    public func adding(days: Int) -> FEELDate? {
        let (day, overflow) = epochDay.addingReportingOverflow(days)
        return overflow ? nil : FEELDate(epochDay: day)
    }

    public static func < (a: FEELDate, b: FEELDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// `yyyy-MM-dd`, at least four year digits, a minus for negative years and no plus sign
    /// for long ones (`999999999-12-31`, as the DMN TCK expects).
    public var description: String {
        let digits = String(year.magnitude)
        let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return (year < 0 ? "-" : "") + padded + "-" + twoDigits(month) + "-" + twoDigits(day)
    }
}

func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
