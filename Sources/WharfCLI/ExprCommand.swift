import ArgumentParser
import Foundation
import WharfConsumer
import WharfExpression

/// `wharf expr`: evaluates a FEEL expression the way `listen` does, to try a condition or a
/// mapping before deploying it; and, with `--jsonl`, the line protocol of the DMN TCK
/// runner (`conformance/feel-tck/run.py`).
public struct ExprCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "expr",
        abstract: "Evaluate a FEEL expression (a --when condition or a --map mapping) and print the result as JSON.",
        discussion: """
            wharf expr '=body.total > 100' --message sample.json
            wharf expr 'sum(items.price)' --context '{"items": [{"price": 5}, {"price": 7.5}]}'
            echo '{"expression": "1 + x", "context": {"x": 2}}' | wharf expr --jsonl

            --message takes a message object as the consumer builds it (messageId, body, attributes, \
            messageAttributes…; see README), and the expression sees it as --when and --map do, also \
            as `response`. With --jsonl, each stdin line is {"expression": …, "context": …} and each \
            answer line {"result": …} or {"error": "…"}; dates, times and durations are written as \
            {"$type": "date", "value": "2017-01-02"} there, and read that way in contexts.
            """)

    @Argument(help: "The expression (a leading \"=\" is allowed, as in Camunda).")
    var expression: String?
    @Option(help: "JSON file holding a message object as the consumer builds it (\"-\" for stdin).")
    var message: String?
    @Option(help: "JSON object of names for the expression (added to --message's, if both); {\"$type\": \"date\", \"value\": …} objects are dates, times, durations.")
    var context: String?
    @Flag(help: "Read one {\"expression\", \"context\"} JSON object per stdin line, answer one line each.")
    var jsonl = false
    @Flag(help: "Write dates, times and durations as {\"$type\", \"value\"} objects instead of ISO strings.")
    var typed = false

    public init() {}

    public func validate() throws {
        if jsonl {
            guard expression == nil, message == nil, context == nil else {
                throw ValidationError("--jsonl takes its expressions and contexts from stdin")
            }
        } else if expression == nil {
            throw ValidationError("give an expression, or --jsonl")
        }
    }

    public func run() throws {
        let out = CLIEnvironment.current.out
        if jsonl {
            while let line = readLine(strippingNewline: true) {
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                out(ExprCommand.answer(line))
            }
            return
        }
        var scope = FEELValue.context(FEELContext())
        if let message {
            let data = message == "-" ? CLIEnvironment.current.readStdin()
                : try Data(contentsOf: URL(fileURLWithPath: message))
            // Plain JSON, as the consumer reads bodies: a {"$type": …} object there is data.
            let object = try parse(data, what: "--message", style: .plain)
            scope = ConsumerExpressionScope.scope(forMessage: object)
        }
        if let context {
            guard case .context(let extra) = try parse(Data(context.utf8), what: "--context", style: .typed) else {
                throw ValidationError("--context must be a JSON object")
            }
            guard case .context(var names) = scope else { return }
            for entry in extra.entries { names[entry.key] = entry.value }
            scope = .context(names)
        }
        let parsed: FEELExpression
        do {
            parsed = try FEELExpression(parsing: expression ?? "")
        } catch {
            CLIEnvironment.current.err("syntax error: \(error)")
            throw ExitCode(1)
        }
        do {
            let result = try parsed.evaluate(in: scope)
            out(result.jsonString(style: typed ? .typed : .plain))
        } catch {
            CLIEnvironment.current.err("evaluation failed: \(error)")
            throw ExitCode(1)
        }
    }

    private func parse(_ data: Data, what: String, style: FEELJSONStyle) throws -> FEELValue {
        do {
            return try FEELValue(jsonString: String(decoding: data, as: UTF8.self), style: style)
        } catch {
            throw ValidationError("\(what) is not JSON: \(error)")
        }
    }

    /// One `--jsonl` exchange: `{"expression": …, "context": …}` in, `{"result": …}` or
    /// `{"error": "…"}` out. Public so that it can be tested, and embedded.
    public static func answer(_ line: String, environment: FEELEnvironment = FEELEnvironment()) -> String {
        func failure(_ message: String) -> String { #"{"error":"# + FEELValue.string(message).jsonString() + "}" }
        guard case .context(let request)? = try? FEELValue(jsonString: line, style: .typed) else {
            return failure("the line is not a JSON object (or holds an invalid typed value)")
        }
        guard case .string(let source)? = request["expression"] else { return failure("no \"expression\" string") }
        let context = request["context"] ?? .context(FEELContext())
        do {
            let expression = try FEELExpression(parsing: source)
            do {
                let result = try expression.evaluate(in: context, environment: environment)
                return #"{"result":"# + result.jsonString(style: .typed) + "}"
            } catch {
                return failure("evaluation failed: \(error)")
            }
        } catch {
            return failure("syntax error: \(error)")
        }
    }
}
