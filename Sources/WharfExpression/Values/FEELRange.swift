import Foundation

/// A FEEL range: `[1..10]`, `(0..10]`, `]a..b[`, and the one-sided comparisons `< 10`,
/// `>= x`, which DMN 1.5 also treats as ranges (with no start or no end).
///
/// `= x` and `!= x` are kept as ranges of their own kind so that `(=10)` can be passed
/// around and tested like the others; they are never equal to an interval (`(=10) = [10..10]`
/// is false in the TCK), hence `kind`.
public struct FEELRange: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case interval = ".."
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case equal = "=", notEqual = "!="
    }

    public let kind: Kind
    /// nil: no lower end (`< 10`). A present `.null` is a literal null endpoint (`(null..10)`).
    public let start: FEELValue?
    public let startIncluded: Bool
    public let end: FEELValue?
    public let endIncluded: Bool

    public init(start: FEELValue?, startIncluded: Bool, end: FEELValue?, endIncluded: Bool) {
        kind = .interval
        self.start = start
        self.startIncluded = startIncluded
        self.end = end
        self.endIncluded = endIncluded
    }

    /// The one-sided forms: `< e`, `<= e`, `> e`, `>= e`, `= e`, `!= e`.
    public init(comparison kind: Kind, _ endpoint: FEELValue) {
        self.kind = kind
        switch kind {
        case .less, .lessOrEqual:
            start = nil; startIncluded = false; end = endpoint; endIncluded = kind == .lessOrEqual
        case .greater, .greaterOrEqual:
            start = endpoint; startIncluded = kind == .greaterOrEqual; end = nil; endIncluded = false
        case .equal, .notEqual, .interval:
            start = endpoint; startIncluded = true; end = endpoint; endIncluded = true
        }
    }

    public var description: String {
        switch kind {
        case .interval:
            (startIncluded ? "[" : "(") + (start?.description ?? "null") + ".."
                + (end?.description ?? "null") + (endIncluded ? "]" : ")")
        case .less, .lessOrEqual: "\(kind.rawValue) \(end ?? .null)"
        case .greater, .greaterOrEqual, .equal, .notEqual: "\(kind.rawValue) \(start ?? .null)"
        }
    }
}
