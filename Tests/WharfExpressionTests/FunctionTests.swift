import Foundation
import Testing
@testable import WharfExpression

/// Built-in functions: results, null on wrong argument types, errors on wrong arity.
@Suite struct FunctionTests {
    static let results: [Case] = [
        Case("string(body.id)", "1001"), Case("string(true)", "true"), Case(#"string("s")"#, "s"),
        Case("string(null)", nil), Case("string(body.tags)", #"["urgent","billing"]"#),
        Case("string(body.label)", #"{"name":"qa:required","color":"d73a4a"}"#),
        Case("number(messageAttributes.retries.stringValue)", 7), Case(#"number("-1.25")"#, -1.25),
        Case(#"number("1e3")"#, 1000), Case(#"number("12abc")"#, nil), Case(#"number("")"#, nil),
        Case("number(true)", nil), Case("number(4)", 4), Case(#"number(".5")"#, 0.5),
        Case(#"number("+3")"#, 3), Case(#"number("1e")"#, nil), Case(#"number("-")"#, nil),
        Case(#"number("1.2.3")"#, nil), Case(#"number(" 1")"#, nil),
        Case(#"contains(body.label.name, "qa:")"#, true), Case(#"contains("abc", "x")"#, false),
        Case(#"contains("abc", "")"#, true), Case("contains(body.id, 1)", nil),
        Case(#"starts with(queueUrl, "http://")"#, true), Case(#"starts with("abc", "b")"#, false),
        Case(#"ends with(eventSourceARN, ":orders")"#, true), Case(#"ends with("abc", "b")"#, false),
        Case(#"starts with(body.missing, "a")"#, nil),
        Case(#"upper case("straße")"#, "STRASSE"), Case(#"lower case("ÀB")"#, "àb"),
        Case("upper case(1)", nil),
        Case(#"substring("foobar", 3)"#, "obar"), Case(#"substring("foobar", 3, 3)"#, "oba"),
        Case(#"substring("foobar", -2, 1)"#, "a"), Case(#"substring("foobar", 1, 100)"#, "foobar"),
        Case(#"substring("foobar", 2, 9223372036854775807)"#, "oobar"),
        Case(#"substring("foobar", 7)"#, ""), Case(#"substring("foobar", 8)"#, nil),
        Case(#"substring("foobar", 0)"#, nil), Case(#"substring("foobar", -7)"#, nil),
        Case(#"substring("foobar", 2, -1)"#, nil), Case(#"substring("😀ab", 2)"#, "ab"),
        Case(#"string length("héllo")"#, 5), Case(#"string length("")"#, 0),
        Case("string length(body.id)", nil),
        Case(#"matches(messageId, "^[0-9a-f-]{36}$")"#, true), Case(#"matches("abc", "b")"#, true),
        Case(#"matches("abc", "^b")"#, false), Case(#"matches("ABC", "abc", "i")"#, true),
        Case(#"matches("a\nb", "a.b", "s")"#, true), Case(#"matches("a\nb", "a.b")"#, false),
        Case(#"matches("x\nyz", "^y", "m")"#, true), Case("matches(body.id, \"1\")", nil),
        Case(#"list contains(body.tags, "billing")"#, true), Case(#"list contains(body.tags, "x")"#, false),
        Case("list contains([1, null], null)", true),
        // A single value is the list of itself (DMN's singleton conversion).
        Case(#"list contains("urgent", "u")"#, false), Case(#"list contains("urgent", "urgent")"#, true),
        Case("count(body.items)", 3), Case("count([])", 0), Case("count(body.label)", 1), Case("count(null)", nil),
        Case(#"get value(messageAttributes, "key").dataType"#, "String"),
        Case(#"get value(body.label, "color")"#, "d73a4a"), Case(#"get value(body.label, "x")"#, nil),
        Case(#"get value(body.tags, "x")"#, nil), Case("get value(body.label, 1)", nil),
        Case("string(now())", "2024-05-01T12:34:56.789Z"), Case("string(today())", "2024-05-01"),
        Case(#"now() > @"2024-01-01T00:00:00Z""#, true), Case(#"now() > "2024-01-01T00:00:00Z""#, nil),
        Case("now() instance of date and time", true), Case("today() instance of date", true),
        Case("not (true)", false), Case("upper case (body.action)", "LABELED"),
    ]

    @Test(arguments: results)
    func function(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    static let arityErrors: [(String, FEELEvaluationError.Reason)] = [
        ("not()", .wrongArity(function: "not", expected: "1", got: 0)),
        ("not(true, false)", .wrongArity(function: "not", expected: "1", got: 2)),
        (#"contains("a")"#, .wrongArity(function: "contains", expected: "2", got: 1)),
        (#"substring("a")"#, .wrongArity(function: "substring", expected: "2 or 3", got: 1)),
        (#"matches("a", "b", "i", "x")"#, .wrongArity(function: "matches", expected: "2 or 3", got: 4)),
        ("now(1)", .wrongArity(function: "now", expected: "0", got: 1)),
        ("is defined(a, b)", .wrongArity(function: "is defined", expected: "1", got: 2)),
        ("get value(body)", .wrongArity(function: "get value", expected: "2", got: 1)),
        ("count()", .wrongArity(function: "count", expected: "1", got: 0)),
        ("frobnicate(1)", .unknownFunction("frobnicate")),
        // Any whitespace between the words of a name is one space.
        ("starts  with(1)", .wrongArity(function: "starts with", expected: "2", got: 1)),
        ("upper cased(body.action)", .unknownFunction("upper cased")),
        (#"matches("a", "(")"#, .invalidPattern("(", reason: "")),
        (#"matches(body.missing, "[")"#, .invalidPattern("[", reason: "")),
        (#"matches("a", "a", "p")"#, .invalidPattern("a", reason: #"unknown flag in "p""#)),
    ]

    @Test(arguments: arityErrors)
    func evaluationError(source: String, expected: FEELEvaluationError.Reason) throws {
        let expression = try FEELExpression(parsing: source)
        let error = #expect(throws: FEELEvaluationError.self) {
            try expression.evaluate(in: Fixture.message)
        }?.reason
        if case .invalidPattern(let pattern, _) = expected, case .invalidPattern(let got, let reason)? = error {
            #expect(got == pattern)
            #expect(!reason.isEmpty)
        } else {
            #expect(error == expected)
        }
    }

    @Test func errorDescriptions() {
        typealias Reason = FEELEvaluationError.Reason
        #expect(Reason.unknownFunction("foo").description == #"unknown function "foo""#)
        #expect(Reason.wrongArity(function: "not", expected: "1", got: 2).description
            == #"function "not" expects 1 argument, got 2"#)
        #expect(Reason.wrongArity(function: "substring", expected: "2 or 3", got: 1).description
            == #"function "substring" expects 2 or 3 arguments, got 1"#)
        #expect(Reason.wrongArity(function: "sum", expected: "at least 1", got: 0).description
            == #"function "sum" expects at least 1 argument, got 0"#)
    }

    @Test func clockIsReadAtEachEvaluation() throws {
        let expression = try FEELExpression(parsing: "string(now())")
        let later = FEELEnvironment(now: { Date(timeIntervalSince1970: 0) })
        #expect(try expression.evaluate(in: nil, environment: Fixture.environment) == "2024-05-01T12:34:56.789Z")
        #expect(try expression.evaluate(in: nil, environment: later) == "1970-01-01T00:00:00Z")
        // In another zone now() carries the zone id, and today() is that zone's date.
        let tokyo = FEELEnvironment(now: { Date(timeIntervalSince1970: 1_714_579_200) }, timeZone: TimeZone(identifier: "Asia/Tokyo")!)
        #expect(try FEELExpression(parsing: "string(now())").evaluate(in: nil, environment: tokyo)
            == "2024-05-02T01:00:00@Asia/Tokyo")
        #expect(try FEELExpression(parsing: "string(today())").evaluate(in: nil, environment: tokyo) == "2024-05-02")
    }
}
