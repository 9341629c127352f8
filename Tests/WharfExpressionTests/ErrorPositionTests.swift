import Foundation
import Testing
@testable import WharfExpression

/// Evaluation errors say where, like syntax errors: the failing call's line and column.
@Suite struct ErrorPositionTests {
    static let cases: [(source: String, description: String)] = [
        ("frobnicate(1)", #"unknown function "frobnicate" at 1:1"#),
        ("1 + frobnicate(1)", #"unknown function "frobnicate" at 1:5"#),
        ("=body.id > 1 and\n  upper  cased(body.action)", #"unknown function "upper cased" at 2:3"#),
        (#"{a: 1, b: matches("x", "(")}"#, #"invalid pattern "(": not a valid regular expression at 1:11"#),
        ("count(1, 2)", #"function "count" expects 1 argument, got 2 at 1:1"#),
        // Inside a function body, the inner call is the one reported.
        ("{f: function(x) nope(x), r: f(1)}.r", #"unknown function "nope" at 1:17"#),
    ]

    @Test(arguments: cases)
    func position(source: String, description: String) throws {
        let error = #expect(throws: FEELEvaluationError.self) { try eval(source) }
        #expect(error?.description == description)
    }

    @Test func offsetLineAndColumn() throws {
        let error = #expect(throws: FEELEvaluationError.self) { try eval("[1,\n 2, nope()]") }
        #expect(error?.offset == 8)
        #expect(error?.line == 2)
        #expect(error?.column == 5)
        #expect(error?.reason == .unknownFunction("nope"))
    }
}
