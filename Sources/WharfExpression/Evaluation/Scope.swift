import Foundation

/// Name resolution frames, innermost last. Inside a filter the element's own keys come
/// first, then `item`, then the enclosing scopes; inside a context literal the entries
/// already evaluated are visible to later ones (`{a: 1, b: a + 1}`), and to functions
/// defined in it, which is how `{f: function(n) … f(n - 1) …}` recurses.
struct Scope {
    private enum Frame {
        /// A context's keys (the root, a filter element).
        case value(FEELValue)
        /// The context literal under construction.
        case entries(ContextFrame)
        case binding(String, FEELValue)
    }

    private var frames: [Frame]
    /// Nesting of user-defined function calls, to stop runaway recursion.
    private(set) var callDepth = 0

    init(root: FEELValue) { frames = [.value(root)] }

    func pushing(_ value: FEELValue) -> Scope {
        var copy = self
        copy.frames.append(.value(value))
        return copy
    }

    func pushing(_ frame: ContextFrame) -> Scope {
        var copy = self
        copy.frames.append(.entries(frame))
        return copy
    }

    func binding(_ name: String, to value: FEELValue) -> Scope {
        var copy = self
        copy.frames.append(.binding(name, value))
        return copy
    }

    /// The scope a function body runs in: its definition's, one call deeper than the caller.
    func entered(from caller: Scope) -> Scope {
        var copy = self
        copy.callDepth = caller.callDepth + 1
        return copy
    }

    /// nil means missing, which `is defined` must tell apart from a present null.
    func lookup(_ name: String) -> FEELValue? {
        for frame in frames.reversed() {
            switch frame {
            case .value(let value):
                if let found = value[name] { return found }
            case .entries(let frame):
                if let found = frame.context[name] { return found }
            case .binding(let bound, let value):
                if bound == name { return value }
            }
        }
        return nil
    }
}

/// The entries of a context literal while it is being evaluated (see `UserFunction`).
final class ContextFrame {
    var context = FEELContext()
}
