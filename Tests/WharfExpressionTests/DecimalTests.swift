import Foundation
import Testing
@testable import WharfExpression

/// FEEL numbers are decimal, rounded to 34 significant digits like Java's DECIMAL128.
@Suite struct DecimalTests {
    static let cases: [Case] = [
        Case("0.1 + 0.2 = 0.3", true), Case("0.1 + 0.2", 0.3), Case("1.2345 + 2.234", 3.4685),
        Case("12300 = 1.23e4", true), Case("0.000123 = 1.23e-4", true), Case("-0 = 0", true),
        Case("1 / 3 * 3 = 1", false), Case("10 / 4", 2.5), Case("0.0 / 0.0", nil), Case("1 / 0", nil),
        Case("2 ** 10", 1024), Case("5 ** -2", 0.04), Case("3 ** 4 ** 5", 3_486_784_401), Case("-5 ** 2", 25),
        Case("10 ** 200", nil), Case("(-8) ** (1/3)", nil),
        Case("decimal(1/3, 2)", 0.33), Case("decimal(2.5, 0)", 2), Case("decimal(3.5, 0)", 4),
        Case("decimal(0.515, 2)", 0.52), Case("floor(-1.5)", -2), Case("floor(1.56, 1)", 1.5),
        Case("ceiling(-1.5)", -1), Case("ceiling(1.56, 1)", 1.6), Case("round up(-5.5, 0)", -6),
        Case("round down(-5.5, 0)", -5), Case("round half up(-5.5, 0)", -6), Case("round half down(-5.5, 0)", -5),
        Case("round half down(5.51, 0)", 6), Case("round up(5.5, 6177)", nil), Case("round up(1.121, 2)", 1.13),
        Case("modulo(-12, 5)", 3), Case("modulo(12, -5)", -3), Case("modulo(10.1, 4.5)", 1.1), Case("modulo(1, 0)", nil),
        Case("abs(-2.5)", 2.5), Case("sqrt(16)", 4), Case("sqrt(-1)", nil), Case("odd(5)", true), Case("even(2.5)", nil),
        Case("exp(0)", 1), Case("exp(1)", 2.71828183), Case("log(10)", 2.30258509), Case("log(0)", nil),
        Case("number(\"1.000.000,01\", \".\", \",\")", 1_000_000.01),
    ]

    @Test(arguments: cases)
    func number(_ c: Case) throws {
        #expect(try eval(c.source, in: nil) == c.expected)
    }

    @Test func resultsHaveThirtyFourSignificantDigits() throws {
        #expect(try eval("string(1 / 3)", in: nil) == .string("0." + String(repeating: "3", count: 34)))
        #expect(try eval("string(2 / 3)", in: nil) == .string("0." + String(repeating: "6", count: 33) + "7"))
        #expect(try eval("string(sqrt(2))", in: nil) == "1.414213562373095048801688724209698")
        // Exact below 34 digits, however large or small.
        #expect(try eval("string(123456789012345678901234567890 + 1)", in: nil) == "123456789012345678901234567891")
        #expect(try eval("string(0.000000000000000000000000000001 * 3)", in: nil) == "0.000000000000000000000000000003")
    }

    @Test func exponentialAndLogarithmKeepEightDecimalsOrEightDigits() throws {
        #expect(try eval("exp(-1)", in: nil) == 0.36787944)
        #expect(try eval("exp(4)", in: nil) == 54.59815003)
        #expect(try eval("string(exp(-20))", in: nil) == "0.0000000020611536")
    }
}
