import Foundation

/// Numeric functions. Rounding scales are limited to decimal128's range (−6111…6176),
/// as the TCK checks.
///
/// `exp` and `log` are computed in binary floating point (Double, as Camunda does) and
/// rounded to 8 decimal places, or 8 significant digits below 1 (`exp(-20)` keeps its
/// digits). That is the precision the DMN TCK gives its expected values in
/// (`exp(-1) = 0.36787944`, which the runner's 1e-9 tolerance does not let the full Double
/// 0.36787944117… match), and it makes the results identical whatever the platform's libm
/// does in the last bits. Non-integer powers (`5 ** 2.55`) keep Double's ~16 digits.
extension Builtins {
    static let numeric: [String: Builtin] = [
        "decimal": Builtin("n", "scale") { c in rounded(c, .halfEven) },
        "floor": Builtin("n", "scale?") { c in rounded(c, .down) },
        "ceiling": Builtin("n", "scale?") { c in rounded(c, .up) },
        "round up": Builtin("n", "scale") { c in rounded(c, .awayFromZero) },
        "round down": Builtin("n", "scale") { c in rounded(c, .towardZero) },
        "round half up": Builtin("n", "scale") { c in rounded(c, .halfUp) },
        "round half down": Builtin("n", "scale") { c in rounded(c, .halfDown) },
        "abs": Builtin("n") { c in
            switch c[0] {
            case .number(let n): .number(n.magnitude)
            case .daysAndTimeDuration(let d): .daysAndTimeDuration(FEELDaysAndTimeDuration(seconds: d.seconds.magnitude))
            case .yearsAndMonthsDuration(let d): .yearsAndMonthsDuration(FEELYearsAndMonthsDuration(months: abs(d.months)))
            default: .null
            }
        },
        // The remainder with the divisor's sign: dividend − divisor × floor(dividend / divisor).
        "modulo": Builtin("dividend", "divisor") { c in
            guard let a = number(c[0]), let b = number(c[1]), !b.isZero else { return .null }
            let quotient = (a / b).rounded(scale: 0, .down)
            return Arithmetic.number(a - b * quotient)
        },
        "sqrt": Builtin("number") { c in
            guard let n = number(c[0]) else { return .null }
            return squareRoot(n).map(FEELValue.number) ?? .null
        },
        "log": Builtin("number") { c in
            guard let n = number(c[0]), n > 0 else { return .null }
            return transcendental(log(n.doubleValue))
        },
        "exp": Builtin("number") { c in
            guard let n = number(c[0]) else { return .null }
            return transcendental(exp(n.doubleValue))
        },
        "odd": Builtin("number") { c in
            guard let n = number(c[0]), n.isWhole else { return .null }
            return .bool(!(n / 2).isWhole)
        },
        "even": Builtin("number") { c in
            guard let n = number(c[0]), n.isWhole else { return .null }
            return .bool((n / 2).isWhole)
        },
        // Camunda: a random number in [0, 1).
        "random number": Builtin { _ in .number(Decimal(shortest: Double.random(in: 0..<1))) },
    ]

    private static func rounded(_ c: BuiltinCall, _ mode: Decimal.Rounding) -> FEELValue {
        guard let n = number(c[0]) else { return .null }
        var scale = 0
        if c.count > 1 {
            guard let s = number(c[1])?.truncatedInt, (-6111...6176).contains(s) else { return .null }
            scale = s
        }
        let result = n.rounded(scale: scale, mode)
        return result.isFinite ? .number(result) : .null
    }

    /// See the type's comment: 8 decimal places, or 8 significant digits for |x| < 1.
    private static func transcendental(_ d: Double) -> FEELValue {
        guard d.isFinite else { return .null }
        guard d != 0 else { return .number(0) }
        let magnitude = Int(log10(Swift.abs(d)).rounded(.down))
        let scale = Swift.max(8, 7 - magnitude)
        return .number(Decimal(shortest: d).rounded(scale: scale, .halfEven))
    }
}
