import Foundation
import Testing
@testable import WharfExpression

/// Ranges, `in` with unary tests (including `?`), and the range functions.
@Suite struct RangeTests {
    static let membership: [Case] = [
        Case("3 in [1..5]", true), Case("5 in [1..5)", false), Case("1 in (1..5]", false), Case("1 in ]1..5]", false),
        Case("5 in [1..5[", false), Case(#""b" in ["a".."c"]"#, true), Case("5 in (< 5, > 10)", false),
        Case("12 in (< 5, > 10)", true), Case("10 in (1, < 5, >= 10)", true), Case("10 in !=10", false),
        Case("10 in (=10)", true), Case("1 in [[2..4], [1..3]]", true), Case("[1,2] in [[1,2], [3]]", true),
        Case("x in (? > 5)", true), Case("x in (? > 5, ? < 0)", true), Case("x in (? < 5)", false),
        Case(#"@"2021-06-01" in [@"2021-01-01"..@"2021-12-31"]"#, true),
        Case(#"@"PT2H" in (@"PT1H"..@"PT3H")"#, true),
        // Unknowns: an endpoint that cannot be compared makes the test null.
        Case("null in [1..10]", nil), Case("5 in (null..10]", nil), Case(#""a" in [1..10]"#, nil),
        Case("5 in (\"a\", 5)", true),
    ]

    @Test(arguments: membership)
    func test(_ c: Case) throws {
        #expect(try eval(c.source, in: ["x": 7]) == c.expected)
    }

    static let values: [Case] = [
        Case("[1..10] = [1..10]", true), Case("(1..10] = ]1..10]", true), Case("(< 10) = (null..10)", false),
        Case("(=10) = [10..10]", false), Case("(< 10) = (< 10)", true), Case("[1..10].start", 1),
        Case("[1..10).end included", false), Case("(< 5).start", nil), Case("(>= 5).start included", true),
        Case(#"[1.."a"]"#, nil), Case("[1..10] instance of range<number>", true),
        Case(#"string([1..10))"#, "[1..10)"),
    ]

    @Test(arguments: values)
    func rangeValue(_ c: Case) throws {
        #expect(try eval(c.source, in: nil) == c.expected)
    }

    static let functions: [Case] = [
        Case("before(1, 10)", true), Case("before(10, 1)", false), Case("before(1, [2..5])", true),
        Case("before(1, (1..5])", true), Case("before([1..5], 10)", true), Case("before([1..5), [5..10])", true),
        Case("before([1..5], [5..10])", false), Case("after(10, [1..5])", true), Case("after([5..10], [1..5))", true),
        Case("after(point: 10, range: [1..5])", true), Case("meets([1..5], [5..10])", true),
        Case("meets([1..5), [5..10])", false), Case("met by([5..10], [1..5])", true),
        Case("overlaps([1..5], [3..8])", true), Case("overlaps([1..5], [6..8])", false),
        Case("overlaps before([1..5], [3..8])", true), Case("overlaps after([3..8], [1..5])", true),
        Case("finishes(10, [1..10])", true), Case("finishes([5..10], [1..10])", true),
        Case("finished by([1..10], 10)", true), Case("includes([1..10], 5)", true),
        Case("includes([1..10], [3..8])", true), Case("includes([1..10], [3..11])", false),
        Case("during(5, [1..10])", true), Case("during([3..8], [1..10])", true), Case("starts(1, [1..10])", true),
        Case("starts([1..5], [1..10])", true), Case("started by([1..10], [1..5])", true),
        Case("coincides(5, 5)", true), Case("coincides([1..5], [1..5])", true), Case("coincides([1..5], (1..5])", false),
        Case("includes(> 5, 100)", true), Case("before(< 5, 10)", true), Case("before(1, null)", nil),
        Case(#"before(1, "a")"#, nil), Case("meets(1, 2)", nil),
        Case(#"before(@"2021-01-01", [@"2021-02-01"..@"2021-03-01"])"#, true),
    ]

    @Test(arguments: functions)
    func rangeFunction(_ c: Case) throws {
        #expect(try eval(c.source, in: nil) == c.expected)
    }
}

/// Unary tests as a decision table's input entry holds them.
@Suite struct UnaryTestsTests {
    static let cases: [(tests: String, input: FEELValue, expected: FEELValue)] = [
        ("< 5, > 10", 3, true), ("< 5, > 10", 7, false), ("[1..5]", 5, true), ("(1..5)", 5, false),
        (#""a", "b""#, "b", true), ("not(1, 2)", 3, true), ("not(1, 2)", 2, false), ("-", "anything", true),
        ("? > limit", 7, true), ("? > limit", 5, false), ("< limit", 4, true), ("= 5", 5, true), ("!= 5", 5, false),
        ("[1..10]", "x", nil), (#"[@"2024-01-01"..@"2024-12-31"]"#, .date(FEELDate(year: 2024, month: 6, day: 1)!), true),
    ]

    @Test(arguments: cases)
    func unaryTests(tests: String, input: FEELValue, expected: FEELValue) throws {
        let parsed = try FEELUnaryTests(parsing: tests)
        #expect(try parsed.evaluate(input, in: ["limit": 5]) == expected)
    }

    @Test func syntaxErrorsAreLocated() {
        let error = #expect(throws: FEELSyntaxError.self) { try FEELUnaryTests(parsing: "< 5,") }
        #expect(error?.description == "expected an expression at 1:5")
    }
}
