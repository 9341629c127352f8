import Foundation

/// Function calls: built-ins, function values, positional and named arguments.
extension FEELEvaluator {
    /// Values of evaluated arguments.
    enum ArgumentValues {
        case positional([FEELValue])
        case named([(String, FEELValue)])
    }

    /// A name is looked up first among the variables (a function value there shadows a
    /// built-in), then among the built-ins.
    func call(
        _ callee: Node, _ arguments: Node.Arguments, at offset: Int, in scope: Scope
    ) throws(FEELEvaluationError) -> FEELValue {
        do throws(FEELEvaluationError) {
            if case .name(let name) = callee {
                let variable = scope.lookup(name)
                if case .function(let f)? = variable {
                    return try invoke(f, try values(of: arguments, in: scope), from: scope, name: name)
                }
                if name == "is defined", case .positional(let nodes) = arguments, nodes.count == 1 {
                    // Must see the path itself: evaluating it would turn "missing" into null.
                    return .bool(try resolve(nodes[0], in: scope) != nil)
                }
                if Builtins.table[name] != nil {
                    return try invoke(.builtin(name), try values(of: arguments, in: scope), from: scope, name: name)
                }
                throw FEELEvaluationError(variable == nil ? .unknownFunction(name) : .notAFunction(name))
            }
            let value = try evaluate(callee, in: scope)
            guard case .function(let f) = value else { throw FEELEvaluationError(.notAFunction(value.description)) }
            return try invoke(f, try values(of: arguments, in: scope), from: scope, name: "function")
        } catch {
            throw error.located(at: offset, in: source)
        }
    }

    private func values(of arguments: Node.Arguments, in scope: Scope) throws(FEELEvaluationError) -> ArgumentValues {
        switch arguments {
        case .positional(let nodes):
            var values: [FEELValue] = []
            for node in nodes { values.append(try evaluate(node, in: scope)) }
            return .positional(values)
        case .named(let named):
            var values: [(String, FEELValue)] = []
            for argument in named { values.append((argument.name, try evaluate(argument.value, in: scope))) }
            return .named(values)
        }
    }

    func invoke(
        _ function: FEELFunction, _ arguments: ArgumentValues, from caller: Scope, name: String
    ) throws(FEELEvaluationError) -> FEELValue {
        switch function.implementation {
        case .builtin(let builtinName):
            guard let builtin = Builtins.table[builtinName] else { throw FEELEvaluationError(.unknownFunction(builtinName)) }
            let args: [FEELValue]
            switch arguments {
            case .positional(let values): args = try builtin.bind(builtinName, positional: values)
            case .named(let values): args = try builtin.bind(builtinName, named: values)
            }
            return try builtin.run(BuiltinCall(name: builtinName, args: args, evaluator: self, scope: caller))
        case .user(let f):
            var scope = f.scope.entered(from: caller)
            guard scope.callDepth <= FEELEvaluator.maxCallDepth, stack.hasRoom() else {
                throw FEELEvaluationError(.recursionTooDeep)
            }
            switch arguments {
            case .positional(let values):
                guard values.count == f.parameters.count else {
                    throw FEELEvaluationError(.wrongArity(function: name, expected: "\(f.parameters.count)", got: values.count))
                }
                for (parameter, value) in zip(f.parameters, values) { scope = scope.binding(parameter, to: value) }
            case .named(let values):
                if let unknown = values.first(where: { !f.parameters.contains($0.0) }) {
                    throw FEELEvaluationError(.badParameter(function: name, message: "no parameter named \"\(unknown.0)\""))
                }
                // Parameters not given are null, as DMN says.
                for parameter in f.parameters {
                    scope = scope.binding(parameter, to: values.first { $0.0 == parameter }?.1 ?? .null)
                }
            }
            return try evaluate(f.body, in: scope)
        }
    }
}
