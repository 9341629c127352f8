import Foundation
import Testing
@testable import WharfExpression

/// Three-valued logic and comparison semantics, as FEEL (DMN 1.5) defines them.
@Suite struct LogicTests {
    static let andTable: [Case] = [
        Case("true and true", true), Case("true and false", false), Case("true and null", nil),
        Case("false and true", false), Case("false and false", false), Case("false and null", false),
        Case("null and true", nil), Case("null and false", false), Case("null and null", nil),
    ]
    static let orTable: [Case] = [
        Case("true or true", true), Case("true or false", true), Case("true or null", true),
        Case("false or true", true), Case("false or false", false), Case("false or null", nil),
        Case("null or true", true), Case("null or false", nil), Case("null or null", nil),
    ]
    static let notTable: [Case] = [
        Case("not(true)", false), Case("not(false)", true), Case("not(null)", nil),
        Case(#"not("yes")"#, nil), Case("not(body.missing)", nil),
    ]
    /// Non-booleans count as null; a missing path is null.
    static let coercions: [Case] = [
        Case(#""yes" and true"#, nil), Case("1 or false", nil), Case("0 and false", false),
        Case("body.missing and true", nil), Case("body.missing or true", true),
        Case("true and true or false and null", true), Case("false or true and null", nil),
    ]

    @Test(arguments: andTable + orTable + notTable + coercions)
    func logic(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    static let comparisons: [Case] = [
        Case("1 < 2", true), Case("2 <= 2", true), Case("3 > 4", false), Case("4 >= 5", false),
        Case("1 = 1.0", true), Case("0.1 + 0.2 = 0.3", true), Case("1 != 2", true),
        Case(#""abc" < "abd""#, true), Case(#""b" >= "a""#, true), Case(#""a" = "a""#, true),
        Case("[1, 2] = [1, 2]", true), Case("[1, 2] = [2, 1]", false),
        Case("{a: 1, b: 2} = {b: 2, a: 1}", true), Case("true = true", true),
        // Ordering with null, and comparison of different types, is null.
        Case("null < 1", nil), Case("body.missing > 0", nil), Case("1 >= null", nil),
        Case(#"1 = "1""#, nil), Case(#"1 != "1""#, nil), Case(#""a" < 1"#, nil), Case("true < false", nil),
        Case("[1] < [2]", nil),
        // Equality with null is FEEL's: null equals only null (the way to test for null).
        Case("null = null", true), Case("body.note = null", true), Case("body.missing = null", true),
        Case("body.id = null", false), Case(#"body.missing != "x""#, true), Case("body.id != null", true),
    ]

    @Test(arguments: comparisons)
    func comparison(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    @Test func bothSidesAreEvaluatedSoErrorsDoNotDependOnData() throws {
        for source in ["false and frobnicate(1)", "true or frobnicate(1)"] {
            let error = #expect(throws: FEELEvaluationError.self) { try eval(source) }
            #expect(error?.reason == .unknownFunction("frobnicate"))
        }
    }
}
