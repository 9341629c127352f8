import Foundation
import Testing
@testable import WharfExpression

/// Syntax errors say what was expected and where (line:column, 1-based).
@Suite struct SyntaxErrorTests {
    static let errors: [(source: String, description: String)] = [
        // unclosed parenthesis
        ("count(records", #"expected ")" at 1:14"#),
        (#"=(messageAttributes.key.stringValue="value""#, #"expected ")" at 1:44"#),
        ("f(1 2)", #"expected ")" at 1:5"#),
        // dangling operator
        ("body.id +", "expected an expression at 1:10"),
        ("1 + * 2", "expected an expression at 1:5"),
        ("x == 1", "expected an expression at 1:4"),
        ("f(1,", "expected an expression at 1:5"),
        // unterminated string, bad escapes
        (#"body.action = "labeled"#, "unterminated string at 1:15"),
        (#""\u12""#, #"invalid \u escape at 1:2"#), (#""x\U12""#, #"invalid \U escape at 1:3"#),
        ("/* open", "unterminated comment at 1:1"), ("`a b", "unterminated name at 1:1"),
        (#"@"2021-13-01""#, #"invalid temporal literal "2021-13-01" at 1:1"#),
        // bad token
        ("body.id # 2", ##"unexpected character "#" at 1:9"##),
        ("!body.flag", #"unexpected character "!" at 1:1"#),
        // if without then / else
        (#"if body.id > 1 "big" else "small""#, #"expected "then" at 1:16"#),
        ("if true then 1", #"expected "else" at 1:15"#),
        ("x between 1 2", #"expected "and" at 1:13"#),
        // trailing junk
        ("body.id 42", "unexpected number 42 at 1:9"),
        (#"a "b""#, "unexpected a string at 1:3"),
        ("1 = 2 = 3", #"unexpected "=" at 1:7"#),
        ("(1))", #"unexpected ")" at 1:4"#),
        // empty input
        ("", "expected an expression at 1:1"),
        ("=", "expected an expression at 1:2"),
        ("   ", "expected an expression at 1:4"),
        // unclosed or malformed context / list / index
        ("{a: 1, b: 2", #"expected "}" at 1:12"#),
        ("{a 1}", #"expected ":" at 1:4"#),
        ("{1: 2}", "expected a context key at 1:2"),
        ("{a: 1,}", "expected a context key at 1:7"),
        ("[1, 2", #"expected "]" at 1:6"#),
        ("body.tags[1", #"expected "]" at 1:12"#),
        ("body.", #"expected a name after "." at 1:6"#),
        // FEEL-only syntax
        ("x instance of numbr", "expected a type at 1:15"), ("for x in [1] satisfies x", #"expected "return" at 1:14"#),
        ("some x in [1] return x", #"expected "satisfies" at 1:15"#), ("[1..5", #"expected "]" or ")" at 1:6"#),
        ("function(a b", #"expected ")" at 1:13"#), ("f(a: 1, 2)", "positional and named arguments mixed at 1:9"),
        // positions count lines
        ("=body.action = \"x\"\nand (", "expected an expression at 2:6"),
    ]

    @Test(arguments: errors)
    func syntaxError(source: String, description: String) {
        let error = #expect(throws: FEELSyntaxError.self) { try FEELExpression(parsing: source) }
        #expect(error?.description == description)
    }

    @Test func errorCarriesOffsetLineAndColumn() {
        let error = #expect(throws: FEELSyntaxError.self) {
            try FEELExpression(parsing: "{a: 1}\n  .a +")
        }
        #expect(error?.message == "expected an expression")
        #expect(error?.offset == 13)
        #expect(error?.line == 2)
        #expect(error?.column == 7)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let error = #expect(throws: FEELSyntaxError.self) { try FEELExpression(parsing: deep) }
        #expect(error?.message == "expression nested too deeply")
        let minus = String(repeating: "-", count: 10_000) + "1"
        #expect(throws: FEELSyntaxError.self) { try FEELExpression(parsing: minus) }
        // Long operator chains build deep trees too; they are capped the same way.
        let chain = Array(repeating: "1", count: 10_000).joined(separator: " + ")
        #expect(throws: FEELSyntaxError.self) { try FEELExpression(parsing: chain) }
    }

    @Test func nestingBelowTheCapParsesAndEvaluates() throws {
        let parens = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect(try eval(parens) == 1)
        let chain = Array(repeating: "1", count: 200).joined(separator: " + ")
        #expect(try eval(chain) == 200)
        let path = "body" + String(repeating: ".x", count: 200)
        #expect(try eval(path) == nil)
    }

    @Test func parsesToTheExpectedTree() throws {
        #expect(try FEELExpression(parsing: "=a.b[1] + 2 * -c").root == .binary(
            .add,
            .filter(.member(.name("a"), "b"), .literal(1)),
            .binary(.multiply, .literal(2), .negate(.name("c")))))
        #expect(try FEELExpression(parsing: "starts with(x, \"a\") or not(y)").root
            == .or(.call(.name("starts with"), .positional([.name("x"), .literal("a")]), at: 0),
                   .call(.name("not"), .positional([.name("y")]), at: 23)))
        #expect(try FEELExpression(parsing: "x in [1] and y between 1 and 2").root
            == .and(.in(.name("x"), [.init(node: .list([.literal(1)]), usesInput: false)]),
                    .between(.name("y"), low: .literal(1), high: .literal(2))))
        // Multi-word names are one name; "date and time" is the function only before "(".
        #expect(try FEELExpression(parsing: "Monthly Salary * 12").root
            == .binary(.multiply, .name("Monthly Salary"), .literal(12)))
        #expect(try FEELExpression(parsing: "date and time").root == .and(.name("date"), .name("time")))
        #expect(try FEELExpression(parsing: "2 ** 3 ** 2").root
            == .binary(.power, .binary(.power, .literal(2), .literal(3)), .literal(2)))
    }
}
