import Foundation

/// Binary operator dispatch. FEEL never throws for bad operands: anything it cannot give a
/// meaning to is null, and null then propagates (or loses, in three-valued logic).
enum Operators {
    static func apply(_ op: Node.BinaryOperator, _ a: FEELValue, _ b: FEELValue) -> FEELValue {
        switch op {
        case .add: Arithmetic.add(a, b)
        case .subtract: Arithmetic.subtract(a, b)
        case .multiply: Arithmetic.multiply(a, b)
        case .divide: Arithmetic.divide(a, b)
        case .power: Arithmetic.power(a, b)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: Comparison.apply(op, a, b)
        }
    }
}

/// Three-valued logic: a non-boolean operand counts as null.
enum Logic {
    static func and(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        if a == .bool(false) || b == .bool(false) { return .bool(false) }
        if a.isTrue && b.isTrue { return .bool(true) }
        return .null
    }

    static func or(_ a: FEELValue, _ b: FEELValue) -> FEELValue {
        if a.isTrue || b.isTrue { return .bool(true) }
        if a == .bool(false) && b == .bool(false) { return .bool(false) }
        return .null
    }

    static func not(_ a: FEELValue) -> FEELValue {
        if case .bool(let b) = a { return .bool(!b) }
        return .null
    }
}
