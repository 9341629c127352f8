import Foundation
import Testing
@testable import WharfExpression

/// Dates, times, date-times and the two duration kinds: literals, conversion functions,
/// properties, comparison and arithmetic (as DMN 1.5 and the TCK define them).
@Suite struct TemporalTests {
    /// `string(…)` of the expression, so the expected values stay readable.
    static let text: [Case] = [
        // literals and conversion, canonical forms
        Case(#"@"2017-01-02""#, "2017-01-02"), Case(#"date("-0044-03-15")"#, "-0044-03-15"),
        Case("date(2024, 2, 29)", "2024-02-29"), Case(#"time("23:59:01.3-01:00")"#, "23:59:01.300-01:00"),
        Case(#"time("10:30:00Z")"#, "10:30:00Z"), Case(#"@"10:30:00+00:00""#, "10:30:00Z"),
        Case(#"date and time("2018-12-10")"#, "2018-12-10T00:00:00"),
        Case(#"@"2018-12-08T10:30:11@Australia/Melbourne""#, "2018-12-08T10:30:11@Australia/Melbourne"),
        Case(#"@"2021-01-01T24:00:00""#, "2021-01-02T00:00:00"),
        Case(#"date and time(date("2017-08-14"), time("10:50:00+02:00"))"#, "2017-08-14T10:50:00+02:00"),
        Case("time(23, 59, 1.5, duration(\"PT2H\"))", "23:59:01.500+02:00"),
        Case(#"time(@"2021-01-01T10:11:12@Europe/Paris")"#, "10:11:12@Europe/Paris"),
        Case(#"duration("PT1000M")"#, "PT16H40M"), Case(#"duration("P26M")"#, "P2Y2M"),
        Case(#"duration("P0D")"#, "PT0S"), Case(#"duration("-P0Y")"#, "P0M"),
        Case(#"duration("P1DT2H3M4.123456789S")"#, "P1DT2H3M4.123456789S"),
        // arithmetic: durations along the timeline, years-and-months along the calendar
        Case(#"@"2021-01-31" + @"P1M""#, "2021-02-28"), Case(#"@"2020-02-29" + @"P1Y""#, "2021-02-28"),
        Case(#"@"2021-01-01" + @"PT36H""#, "2021-01-02"), Case(#"@"2021-01-02" - @"PT1S""#, "2021-01-01"),
        Case(#"@"2021-01-01T10:10:10+11:00" + @"P1DT1H""#, "2021-01-02T11:10:10+11:00"),
        Case(#"@"-2021-01-01T10:10:10+11:00" + @"-P1Y""#, "-2022-01-01T10:10:10+11:00"),
        Case(#"@"23:30:00" + @"PT1H""#, "00:30:00"), Case(#"@"10:15:00" + @"P1D""#, "10:15:00"),
        Case(#"@"P4DT1H" * 1.5"#, "P6DT1H30M"), Case(#"@"P1Y11M" * -2.5"#, "-P4Y9M"),
        Case(#"@"P10Y11M" / 2.5"#, "P4Y4M"), Case(#"-@"P1D""#, "-P1D"),
        Case(#"@"2021-01-02T10:10:10@Europe/Paris" - @"2021-01-01T10:10:10@Asia/Dhaka""#, "P1DT5H"),
        Case(#"@"2021-01-02" - @"2021-01-01T10:10:10+11:00""#, "P1DT49M50S"),
        Case(#"@"10:10:10" - @"11:10:10""#, "-PT1H"), Case(#"@"P1Y" - @"P2M""#, "P10M"),
        // Daylight saving: 02:00–03:00 does not exist in Paris on 2021-03-28.
        Case(#"@"2021-03-28T01:30:00@Europe/Paris" + @"PT1H""#, "2021-03-28T03:30:00@Europe/Paris"),
        Case(#"@"2021-03-28T03:30:00@Europe/Paris" - @"2021-03-28T01:30:00@Europe/Paris""#, "PT1H"),
        Case(#"years and months duration(date("2011-12-22"), date("2013-08-24"))"#, "P1Y8M"),
        Case(#"years and months duration(@"2013-08-24", @"2011-12-22")"#, "-P1Y8M"),
        Case(#"last day of month(@"2024-02-10")"#, "2024-02-29"),
    ]

    @Test(arguments: text)
    func asText(_ c: Case) throws {
        #expect(try eval("string(\(c.source))", in: nil) == c.expected)
    }

    static let values: [Case] = [
        // properties
        Case(#"@"2018-12-10".weekday"#, 1), Case(#"@"2018-12-10T10:30:01".second"#, 1),
        Case(#"@"2018-12-10T10:30:00@Etc/UTC".timezone"#, "Etc/UTC"),
        Case(#"@"2018-12-10T10:30:00".time offset"#, nil), Case(#"duration("P1Y2M").months"#, 2),
        Case(#"duration("-PT90M").minutes"#, -30), Case(#"duration("P1Y").days"#, nil),
        // comparison: instants for zoned values, never local against zoned
        Case(#"@"2002-04-02T12:00:00-01:00" = @"2002-04-02T17:00:00+04:00""#, true),
        Case(#"@"2018-10-08T00:00:00+02:00" = @"2018-10-08T00:00:00@Europe/Paris""#, true),
        Case(#"@"2018-12-08T00:00:00" = @"2018-12-08T00:00:00Z""#, nil),
        Case(#"@"2018-12-08T00:00:00" < @"2018-12-08T00:00:01""#, true),
        Case(#"time("10:30:00.0001") = time("10:30:00.0002")"#, true),
        Case(#"@"12:00:00Z" = @"13:00:00+01:00""#, true), Case(#"is(@"12:00:00Z", @"13:00:00+01:00")"#, false),
        Case(#"duration("P1D") = duration("PT24H")"#, true), Case(#"duration("P1Y") = duration("P12M")"#, true),
        Case(#"duration("P1Y") = duration("P365D")"#, nil), Case(#"duration("P1D") > duration("PT23H")"#, true),
        Case(#"@"2021-01-01" < @"2021-01-02""#, true), Case(#"@"2021-01-01" = @"2021-01-01T00:00:00""#, nil),
        // errors are null
        Case(#"@"2021-01-02T10:10:10" - @"2021-01-01T10:10:10+02:00""#, nil),
        Case(#"@"10:10:10" + @"P1Y""#, nil), Case(#"@"P1D" + @"P1Y""#, nil), Case(#"@"P10D" / @"P0D""#, nil),
        Case(#"date("2017-13-10")"#, nil), Case(#"date("998-12-31")"#, nil), Case(#"date("+2012-12-02")"#, nil),
        Case(#"time("24:00:01")"#, nil), Case(#"duration("P1H")"#, nil), Case(#"duration("P1Y2D")"#, nil),
        Case(#"date and time("2018-12-10T10:30:00@Mars/Olympus")"#, nil),
        // numbers out of durations
        Case(#"@"P10D" / @"P5D""#, 2), Case(#"@"P10Y" / @"P5Y""#, 2),
        Case(#"day of week(@"2019-09-17")"#, "Tuesday"), Case(#"month of year(@"2021-03-01")"#, "March"),
        Case(#"week of year(@"2010-01-01")"#, 53), Case(#"week of year(@"2003-12-29")"#, 1),
        Case(#"day of year(@"2024-12-31")"#, 366),
    ]

    @Test(arguments: values)
    func value(_ c: Case) throws {
        #expect(try eval(c.source, in: nil) == c.expected)
    }

    @Test func calendarArithmeticCoversTheWholeYearRange() throws {
        #expect(FEELDate(epochDay: 0) == FEELDate(year: 1970, month: 1, day: 1))
        for (y, m, d) in [(-999_999_999, 1, 1), (-1, 12, 31), (0, 2, 29), (1600, 2, 29), (999_999_999, 12, 31)] {
            let date = try #require(FEELDate(year: y, month: m, day: d))
            #expect(FEELDate(epochDay: date.epochDay) == date)
        }
        #expect(FEELDate(year: 1900, month: 2, day: 29) == nil)
        #expect(try eval(#"string(date("999999999-12-31"))"#, in: nil) == "999999999-12-31")
        #expect(try eval(#"date("999999999-12-31") + duration("P1D")"#, in: nil) == nil)
    }

    @Test func valuesOfTheRightKind() throws {
        #expect(try eval(#"@"2017-01-02""#, in: nil) == .date(FEELDate(year: 2017, month: 1, day: 2)!))
        #expect(try eval(#"@"P1D""#, in: nil) == .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: 86_400)))
        #expect(try eval(#"@"P1Y1M""#, in: nil) == .yearsAndMonthsDuration(FEELYearsAndMonthsDuration(months: 13)))
        guard case .dateTime(let dt) = try eval(#"@"2021-06-01T12:00:00@Europe/Paris""#, in: nil) else {
            Issue.record("not a date and time"); return
        }
        #expect(dt.zone == .id("Europe/Paris"))
        #expect(dt.offsetSeconds == 7200)
    }
}
