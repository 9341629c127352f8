import Foundation
import Testing
@testable import WharfExpression

/// `instance of`, names with spaces, backticks, comments and string escapes.
@Suite struct TypeTests {
    static let cases: [Case] = [
        Case("1 instance of number", true), Case(#""a" instance of string"#, true), Case("1 instance of string", false),
        Case(#"@"2019-03-31" instance of date"#, true), Case(#"@"10:30:11" instance of time"#, true),
        Case(#"@"2018-12-08T10:30:11" instance of date and time"#, true),
        Case(#"@"P10D" instance of days and time duration"#, true),
        Case(#"@"P10Y" instance of years and months duration"#, true),
        Case(#"@"P10Y" instance of days and time duration"#, false),
        Case("[1, 2] instance of list<number>", true), Case(#"[1, "a"] instance of list<number>"#, false),
        Case("{a: 1, b: \"x\"} instance of context<a: number>", true), Case("{b: 1} instance of context<a: number>", false),
        Case("[1..5] instance of range<number>", true), Case("(function(a) a) instance of function<Any> -> Any", true),
        Case("null instance of Null", true), Case("null instance of Any", false), Case("1 instance of Any", true),
        Case("body.items instance of list<context<sku: string>>", true),
        Case("body.id instance of number and true", true),
        // names
        Case("Monthly Salary * 12", 120), Case("`my-var` + 1", 2), Case("{first name: \"Ada\"}.first name", "Ada"),
        Case("{`a.b`: 1}.`a.b`", 1),
        // comments and escapes
        Case("1 + /* 1 + */ 1", 2), Case("1 + // to the end of the line\n 1", 2),
        Case(#""a\u0041\U01F600b""#, "aA😀b"), Case(#"split("a b", "\s")"#, ["a", "b"]),
        Case(#""tab\tend""#, "tab\tend"),
    ]

    @Test(arguments: cases)
    func typeOrSyntax(_ c: Case) throws {
        #expect(try eval(c.source, in: Fixture.message(with: [("Monthly Salary", 10), ("my-var", 1)])) == c.expected)
    }
}
