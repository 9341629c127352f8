import Foundation

/// Boolean and general functions: not, is, is defined, get or else, assert.
extension Builtins {
    static let misc: [String: Builtin] = [
        "not": Builtin("negand") { c in Logic.not(c[0]) },
        // DMN: same type and value, zones included (`=` compares instants).
        "is": Builtin("value1", "value2") { c in .bool(Comparison.identical(c[0], c[1])) },
        // Called with a path, the evaluator answers before the arguments are evaluated
        // (a missing path is not defined, a null one is); this is the named-argument case.
        "is defined": Builtin("value") { _ in .bool(true) },
        // Camunda: the value, or the default when the value is null.
        "get or else": Builtin("value", "default") { c in c[0] == .null ? c[1] : c[0] },
        // Camunda: the value when the condition holds, else the evaluation fails.
        "assert": Builtin("value", "condition", "cause?") { c in
            guard c[1].isTrue else {
                let cause = Builtins.string(c[2]) ?? "the condition is \(c[1]) for the value \(c[0])"
                throw FEELEvaluationError(.assertionFailed(cause))
            }
            return c[0]
        },
    ]
}
