import Foundation

/// A built-in function: its signatures (parameter names, for named arguments and arity)
/// and its body, which receives the arguments in declaration order.
///
/// Overloads that differ by types rather than by count (`before(point, range)` and
/// `before(range, point)`) share one body that looks at the values; the signatures then
/// only name the parameters.
struct Builtin: Sendable {
    struct Parameter: Sendable {
        let name: String
        let optional: Bool
        let variadic: Bool
    }

    let signatures: [[Parameter]]
    /// Untyped `throws` keeps the many closure literals light; only `FEELEvaluationError`
    /// is ever thrown (see `run`).
    let body: @Sendable (BuiltinCall) throws -> FEELValue

    /// `Builtin("string", "start position", "length?") { … }`: "?" marks an optional
    /// parameter, "..." one that repeats.
    init(_ parameters: String..., body: @escaping @Sendable (BuiltinCall) throws -> FEELValue) {
        self.init(signatures: [parameters], body: body)
    }

    init(signatures: [[String]], body: @escaping @Sendable (BuiltinCall) throws -> FEELValue) {
        self.signatures = signatures.map { $0.map(Builtin.parameter) }
        self.body = body
    }

    private static func parameter(_ spec: String) -> Parameter {
        if spec.hasSuffix("...") { return Parameter(name: String(spec.dropLast(3)), optional: true, variadic: true) }
        if spec.hasSuffix("?") { return Parameter(name: String(spec.dropLast()), optional: true, variadic: false) }
        return Parameter(name: spec, optional: false, variadic: false)
    }

    func run(_ call: BuiltinCall) throws(FEELEvaluationError) -> FEELValue {
        do {
            return try body(call)
        } catch let error as FEELEvaluationError {
            throw error
        } catch {
            throw FEELEvaluationError(.badParameter(function: call.name, message: "\(error)"))
        }
    }

    private static func accepts(_ signature: [Parameter], count: Int) -> Bool {
        let required = signature.filter { !$0.optional }.count
        return count >= required && (count <= signature.count || signature.last?.variadic == true)
    }

    /// The arguments in declaration order for positional arguments.
    func bind(_ name: String, positional args: [FEELValue]) throws(FEELEvaluationError) -> [FEELValue] {
        guard signatures.contains(where: { Builtin.accepts($0, count: args.count) }) else {
            throw FEELEvaluationError(.wrongArity(function: name, expected: expectedCounts, got: args.count))
        }
        return args
    }

    /// The arguments in declaration order for named ones: the first signature that declares
    /// every given name and gets every required one. An omitted optional parameter is
    /// absent at the end and null in the middle.
    func bind(_ name: String, named args: [(String, FEELValue)]) throws(FEELEvaluationError) -> [FEELValue] {
        let given = Set(args.map(\.0))
        for signature in signatures {
            let declared = Set(signature.map(\.name))
            guard given.isSubset(of: declared),
                  signature.allSatisfy({ $0.optional || given.contains($0.name) })
            else { continue }
            var values = signature.map { p in args.first { $0.0 == p.name }?.1 }
            while let last = values.last, last == nil { values.removeLast() }
            return values.map { $0 ?? .null }
        }
        let known = Set(signatures.flatMap { $0.map(\.name) })
        if let unknown = args.map(\.0).first(where: { !known.contains($0) }) {
            throw FEELEvaluationError(.badParameter(function: name, message: "no parameter named \"\(unknown)\""))
        }
        throw FEELEvaluationError(.badParameter(
            function: name, message: "these named arguments match no signature: " + args.map(\.0).joined(separator: ", ")))
    }

    /// "1", "2 or 3", "at least 1", for arity errors.
    private var expectedCounts: String {
        var counts = Set<Int>()
        var atLeast: Int?
        for signature in signatures {
            let required = signature.filter { !$0.optional }.count
            if signature.last?.variadic == true {
                atLeast = min(atLeast ?? required, required)
            } else {
                counts.formUnion(required...signature.count)
            }
        }
        if let atLeast { return atLeast == 0 ? "any number of" : "at least \(atLeast)" }
        let sorted = counts.sorted().map(String.init)
        return sorted.count <= 1 ? sorted.joined() : sorted.dropLast().joined(separator: ", ") + " or " + sorted.last!
    }
}

/// What a built-in's body sees: its arguments and the means to call function arguments.
struct BuiltinCall {
    let name: String
    let args: [FEELValue]
    let evaluator: FEELEvaluator
    let scope: Scope

    var environment: FEELEnvironment { evaluator.environment }

    /// The argument at `i`, null when it was omitted.
    subscript(i: Int) -> FEELValue { i < args.count ? args[i] : .null }

    var count: Int { args.count }

    /// Calls a function value (the `precedes` of `sort`, the `match` of `list replace`).
    func invoke(_ function: FEELFunction, _ arguments: [FEELValue]) throws(FEELEvaluationError) -> FEELValue {
        try evaluator.invoke(function, .positional(arguments), from: scope, name: "function")
    }
}

/// The built-in library: DMN 1.5's functions and the extensions Camunda adds (see each
/// `Builtins+*.swift` file).
enum Builtins {
    static let table: [String: Builtin] = {
        var table: [String: Builtin] = [:]
        for part in [conversion, string, list, aggregate, numeric, context, range, temporal, misc] {
            table.merge(part) { first, _ in first }
        }
        return table
    }()
}
