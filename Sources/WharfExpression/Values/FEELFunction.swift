import Foundation

/// A function value: a `function(a, b) body` definition with the scope it was defined in
/// (a closure), which can be stored in a context, passed to `sort` or `list replace`, and
/// called; or a built-in, which is how the evaluator calls the library.
///
/// Two function values are equal when they are the same built-in or the same definition
/// evaluated once; FEEL gives no structural equality for functions.
public struct FEELFunction: Sendable, Equatable, CustomStringConvertible {
    enum Implementation: Sendable {
        case builtin(String)
        case user(UserFunction)
    }

    let implementation: Implementation

    static func builtin(_ name: String) -> FEELFunction { FEELFunction(implementation: .builtin(name)) }

    /// The declared parameter names of a defined function; nil for a built-in.
    public var parameterNames: [String]? {
        if case .user(let f) = implementation { return f.parameters }
        return nil
    }

    public static func == (lhs: FEELFunction, rhs: FEELFunction) -> Bool {
        switch (lhs.implementation, rhs.implementation) {
        case (.builtin(let a), .builtin(let b)): a == b
        case (.user(let a), .user(let b)): a === b
        default: false
        }
    }

    public var description: String {
        switch implementation {
        case .builtin(let name): "function \(name)"
        case .user(let f): "function(\(f.parameters.joined(separator: ", ")))"
        }
    }
}

/// A defined function: parameters, body and the scope it closes over.
///
/// `@unchecked Sendable` because the captured scope may hold the frame of the context
/// literal being built (so that `{f: function(n) … f(n - 1) …}` can recurse). That frame is
/// only mutated while its context literal is evaluated, on the evaluating thread, before
/// any value holding this function can leave the evaluation.
final class UserFunction: @unchecked Sendable {
    let parameters: [String]
    let body: Node
    let scope: Scope

    init(parameters: [String], body: Node, scope: Scope) {
        self.parameters = parameters
        self.body = body
        self.scope = scope
    }
}
