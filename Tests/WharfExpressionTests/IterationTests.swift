import Foundation
import Testing
@testable import WharfExpression

/// `for … in … return` (ranges, several contexts, `partial`) and `some/every … satisfies`.
@Suite struct IterationTests {
    static let cases: [Case] = [
        Case("for x in [1, 2, 3] return x * 2", [2, 4, 6]), Case("for i in 1..3 return i", [1, 2, 3]),
        Case("for i in 3..1 return i", [3, 2, 1]), Case("for i in [1..4) return i", [1, 2, 3]),
        Case("for x in 1..2, y in [10, 20] return x + y", [11, 21, 12, 22]),
        Case("for x in [1, 2], y in x..2 return [x, y]", [[1, 1], [1, 2], [2, 2]]),
        Case("for i in 1..5 return if i = 1 then 1 else i * partial[-1]", [1, 2, 6, 24, 120]),
        Case("for x in [] return x", []), Case("for x in null return x", nil), Case("for x in 5 return x", [5]),
        Case("for i in 1..1.5 return i", nil),
        Case(#"for d in @"2021-02-27"..@"2021-03-01" return string(d)"#, ["2021-02-27", "2021-02-28", "2021-03-01"]),
        Case("for item in body.items return item.sku", ["A", "B", "C"]),
        Case("some x in [1, 2, 3] satisfies x > 2", true), Case("some x in [1, 2] satisfies x > 2", false),
        Case("every x in [1, 2, 3] satisfies x > 0", true), Case("every x in [1, 2, 3] satisfies x > 1", false),
        Case("every x in [] satisfies false", true), Case("some x in [] satisfies true", false),
        Case("some x in [1, 2], y in [3, 4] satisfies x + y = 6", true),
        Case("some r in body.records satisfies r.age > 80", true),
        Case(#"every t in body.tags satisfies string length(t) > 3"#, true),
    ]

    @Test(arguments: cases)
    func iteration(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    @Test func hugeRangesAreRefused() throws {
        #expect(try eval("for i in 1..100000000000 return i", in: nil) == nil)
        #expect(try eval("count(for i in 1..100000 return i)", in: nil) == 100_000)
    }
}
