import Foundation

/// Argument coercions shared by the built-ins. Each returns nil when the value does not
/// fit, and the body then answers null (FEEL's response to a wrong argument type).
extension Builtins {
    /// A list argument. A single non-list value counts as the list of itself (DMN's
    /// singleton conversion: `count("a")` is 1, `string join("a")` is "a"); null does not.
    static func list(_ value: FEELValue) -> [FEELValue]? {
        switch value {
        case .null: nil
        case .list(let items): items
        default: [value]
        }
    }

    /// `f(list)` or `f(a, b, c)`: the aggregates take either form.
    static func listOrArguments(_ call: BuiltinCall) -> [FEELValue]? {
        call.count == 1 ? list(call[0]) : call.args
    }

    static func string(_ value: FEELValue) -> String? {
        if case .string(let s) = value { return s }
        return nil
    }

    static func number(_ value: FEELValue) -> Decimal? {
        if case .number(let n) = value { return n }
        return nil
    }

    /// A whole number (positions, lengths, scales).
    static func integer(_ value: FEELValue) -> Int? {
        number(value)?.exactInt
    }

    /// A date, or the date of a date and time (the temporal functions accept both).
    static func date(_ value: FEELValue) -> FEELDate? {
        switch value {
        case .date(let d): d
        case .dateTime(let dt): dt.date
        default: nil
        }
    }
}
