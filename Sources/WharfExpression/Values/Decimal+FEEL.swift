import Foundation

/// FEEL number arithmetic on Foundation's `Decimal`.
///
/// Precision: FEEL (and Camunda, through Java's `MathContext.DECIMAL128`) computes with 34
/// significant decimal digits, rounding half to even. `Decimal` holds up to 38 digits, so
/// every arithmetic result is rounded to 34 digits (`feelRounded`) to give the same answers
/// as Camunda: `1 / 3 * 3` is `0.9999999999999999999999999999999999` in both. The exponent
/// range is `Decimal`'s, 10^-128 to 10^127 (decimal128 goes further); results outside it
/// are null, as FEEL makes every arithmetic failure null.
extension Decimal {
    static let feelDigits = 34

    /// Shortest round-trip text of the double, so 1.1 does not become 1.100000000000000088.
    init(shortest double: Double) {
        self = double.isFinite ? (Decimal(string: "\(double)") ?? Decimal(double)) : .nan
    }

    /// The value as an Int when it is a whole number in range; indexes and lengths need this.
    var exactInt: Int? {
        guard isFinite, self == self.rounded(toPlaces: 0) else { return nil }
        guard self >= Decimal(Int.min), self <= Decimal(Int.max) else { return nil }
        return NSDecimalNumber(decimal: self).intValue
    }

    /// Truncated toward zero to an Int (positions given as 2.5 count as 2, as in the TCK).
    var truncatedInt: Int? {
        guard isFinite else { return nil }
        return rounded(scale: 0, .towardZero).exactInt
    }

    var isWhole: Bool { isFinite && self == rounded(toPlaces: 0) }

    func rounded(toPlaces places: Int) -> Decimal { rounded(scale: places, .halfEven) }

    /// The rounding modes of FEEL's rounding functions.
    enum Rounding { case halfEven, halfUp, halfDown, up, down, towardZero, awayFromZero }

    /// Rounds to `scale` digits after the point (negative: to tens, hundreds…).
    func rounded(scale: Int, _ mode: Rounding) -> Decimal {
        guard isFinite else { return self }
        // Beyond Decimal's exponent range the value already has fewer digits than `scale`.
        if scale > 127 { return self }
        if scale < -127 { return mode == .up && self > 0 || mode == .down && self < 0 ? .nan : 0 }
        var input = self
        var result = Decimal()
        switch mode {
        case .halfEven: NSDecimalRound(&result, &input, scale, .bankers)
        case .halfUp: NSDecimalRound(&result, &input, scale, .plain)
        case .up: NSDecimalRound(&result, &input, scale, .up)
        case .down: NSDecimalRound(&result, &input, scale, .down)
        case .towardZero: NSDecimalRound(&result, &input, scale, self < 0 ? .up : .down)
        case .awayFromZero: NSDecimalRound(&result, &input, scale, self < 0 ? .down : .up)
        case .halfDown:
            // Half toward zero: half-up unless the dropped part is exactly one half.
            let truncated = rounded(scale: scale, .towardZero)
            let away = rounded(scale: scale, .awayFromZero)
            let distance = (self - truncated).magnitude
            let half = (away - truncated).magnitude / 2
            result = distance > half ? away : truncated
        }
        return result
    }

    /// 10^0 … 10^39, to count mantissa digits by comparison instead of division.
    private static let powersOfTen: [Decimal] = (0...39).map { Decimal(sign: .plus, exponent: $0, significand: 1) }

    /// Rounded to 34 significant digits, half to even: the result of every FEEL operation.
    var feelRounded: Decimal {
        guard isFinite, !isZero else { return self }
        let mantissa = significand.magnitude
        // The common case, one comparison: the mantissa already fits in 34 digits.
        guard mantissa >= Decimal.powersOfTen[Decimal.feelDigits] else { return self }
        let digits = (Decimal.feelDigits...39).first { mantissa < Decimal.powersOfTen[$0] } ?? 39
        // value = mantissa × 10^exponent; keep the 34 leading digits.
        let scale = -(Int(exponent) + digits - Decimal.feelDigits)
        return rounded(scale: scale, .halfEven)
    }

    /// `self ** exponent`: exact (then rounded) for integer exponents, through Double otherwise,
    /// as Camunda does. nil when the result is out of range or undefined.
    func power(_ exponent: Decimal) -> Decimal? {
        if let n = exponent.exactInt, n.magnitude <= 100_000 {
            if n == 0 { return 1 }
            var base = self
            var result = Decimal()
            let status = NSDecimalPower(&result, &base, abs(n), .bankers)
            guard status == .noError || status == .lossOfPrecision, result.isFinite else { return nil }
            if n < 0 {
                guard !result.isZero else { return nil }
                result = 1 / result
            }
            return result.isFinite ? result.feelRounded : nil
        }
        let value = pow(NSDecimalNumber(decimal: self).doubleValue, NSDecimalNumber(decimal: exponent).doubleValue)
        guard value.isFinite else { return nil }
        return Decimal(shortest: value)
    }

    var doubleValue: Double { NSDecimalNumber(decimal: self).doubleValue }
}
