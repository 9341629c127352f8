import Foundation
import Testing
@testable import WharfExpression

/// Arithmetic, concatenation, between/in, if/then/else, literals and precedence.
@Suite struct OperatorTests {
    static let arithmetic: [Case] = [
        Case("1 + 2 * 3", 7), Case("(1 + 2) * 3", 9), Case("10 - 4 - 3", 3), Case("12 / 4 / 3", 1),
        Case("-2 * 3", -6), Case("- body.id", -1001), Case("--5", 5), Case("7 / 2", 3.5),
        Case("body.total * 2", 25), Case("0.1 * 3", 0.3), Case(".5 + 1", 1.5),
        Case("1 / 0", nil), Case("body.missing + 1", nil), Case("1 - null", nil),
        Case(#""a" * 2"#, nil), Case(#"-"a""#, nil), Case("true + 1", nil),
    ]
    static let concatenation: [Case] = [
        Case(#""order-" + string(body.id)"#, "order-1001"),
        Case(#""a" + "b" + "c""#, "abc"),
        Case(#"messageAttributes.key.stringValue + "/" + body.action"#, "value/labeled"),
        // FEEL does not coerce: a string plus a number is null.
        Case(#""order-" + body.id"#, nil), Case(#""x" + body.missing"#, nil),
    ]
    static let betweenAndIn: [Case] = [
        Case("5 between 1 and 10", true), Case("1 between 1 and 10", true),
        Case("10 between 1 and 10", true), Case("11 between 1 and 10", false),
        Case(#""m" between "a" and "z""#, true), Case("body.missing between 1 and 2", nil),
        Case("5 between 1 and 2 + 3", true), Case("body.id between 1000 and 1001 and true", true),
        Case(#"body.status in ["submitted", "working"]"#, true),
        Case(#"body.action in ["submitted", "working"]"#, false),
        Case("body.id in [1, 1001]", true), Case(#"body.id in ["1001"]"#, false),
        Case("null in [1, null]", true), Case("body.missing in [1, 2]", false),
        Case(#""urgent" in body.tags"#, true), Case("2 in 2", true), Case("[]", []),
    ]
    static let conditionals: [Case] = [
        Case(#"if body.id > 1000 then "big" else "small""#, "big"),
        Case(#"if body.id < 1000 then "big" else "small""#, "small"),
        Case("if body.missing then 1 else 2", 2), Case("if 1 then 1 else 2", 2),
        Case(#"if true then if false then "a" else "b" else "c""#, "b"),
        Case("1 + (if true then 1 else 2)", 2),
    ]
    static let literals: [Case] = [
        Case(#""tab\there""#, "tab\there"), Case(#""quote \" and \\ backslash""#, "quote \" and \\ backslash"),
        Case(#""line\nbreak""#, "line\nbreak"), Case(#""\u00e9t\u00E9""#, "été"),
        Case(#""\ud83d\ude00""#, "😀"), Case("\"naïve 😀\"", "naïve 😀"),
        Case("007", 7), Case("3.25", 3.25), Case("null", nil), Case("false", false),
        Case(#"[1, "a", null, [true]]"#, [1, "a", nil, [true]]),
        Case("{a: 1, b: a + 1}", ["a": 1, "b": 2]),
        Case(#"{"x-y": 1, "": 2}"#, ["x-y": 1, "": 2]), Case("{}", [:]),
        Case("body.label", ["name": "qa:required", "color": "d73a4a"]),
        Case("{if: 1, in: 2}.in", 2), Case("{a: {b: [1, {c: 9}]}}.a.b[2].c", 9),
        Case(" = \n body.id ", 1001),
    ]

    @Test(arguments: arithmetic + concatenation + betweenAndIn + conditionals + literals)
    func expression(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    @Test func integersPrintWithoutFraction() throws {
        #expect(try eval("string(2.50 * 2)") == "5")
        #expect(try eval("string(1 / 4)") == "0.25")
        #expect(try eval("body.id").description == "1001")
        #expect(try eval(#"{n: 10.0, s: "q\"", l: [1.5, null]}"#).description == #"{"n": 10, "s": "q\"", "l": [1.5, null]}"#)
    }
}
