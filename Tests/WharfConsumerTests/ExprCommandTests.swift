import ArgumentParser
import Foundation
import Testing
import WharfCLI
import WharfExpression

/// `wharf expr`: one expression against a message or a context, and the --jsonl protocol.
@Suite struct ExprCommandTests {
    /// Runs `wharf expr …` in-process and returns what it printed.
    private func run(_ arguments: [String]) throws -> [String] {
        let lines = Locked<[String]>([])
        let environment = CLIEnvironment(out: { line in lines.mutate { $0.append(line) } }, err: { line in lines.mutate { $0.append("err: " + line) } },
                                         readStdin: { Data() }, handlesSignals: false)
        var command = try ExprCommand.parseAsRoot(arguments)
        try CLIEnvironment.$current.withValue(environment) { try command.run() }
        return lines.value
    }

    @Test func evaluatesAgainstAMessageObjectLikeListen() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("expr-\(UUID().uuidString).json")
        try Data(#"{"messageId": "m-1", "body": {"total": 120, "items": [{"sku": "A"}]}, "attributes": {}}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try run(["=body.total > 100", "--message", file.path]) == ["true"])
        #expect(try run(["={id: response.messageId, first: body.items[1].sku}", "--message", file.path])
            == [#"{"id":"m-1","first":"A"}"#])
        #expect(try run(["body.total + extra", "--message", file.path, "--context", #"{"extra": 1}"#]) == ["121"])
    }

    @Test func printsPlainOrTypedJSON() throws {
        #expect(try run([#"date("2024-05-01") + duration("P1D")"#]) == [#""2024-05-02""#])
        #expect(try run([#"date("2024-05-01") + duration("P1D")"#, "--typed"]) == [#"{"$type":"date","value":"2024-05-02"}"#])
        #expect(try run(["x * 2", "--context", #"{"x": {"$type": "number", "value": "0.5"}}"#]) == ["1"])
    }

    @Test func reportsSyntaxAndEvaluationErrors() throws {
        #expect(throws: ExitCode.self) { try run(["1 +"]) }
        #expect(throws: ExitCode.self) { try run(["nope(1)"]) }
        #expect(throws: (any Error).self) { try run(["--jsonl", "1"]) }
    }

    @Test func answersTheLineProtocol() {
        #expect(ExprCommand.answer(#"{"expression": "count(list1)", "context": {"list1": ["a", "b", "c"]}}"#) == #"{"result":3}"#)
        #expect(ExprCommand.answer(#"{"expression": "d + duration(\"P1D\")", "context": {"d": {"$type": "date", "value": "2017-01-02"}}}"#)
            == #"{"result":{"$type":"date","value":"2017-01-03"}}"#)
        #expect(ExprCommand.answer(#"{"expression": "1 +"}"#) == #"{"error":"syntax error: expected an expression at 1:4"}"#)
        #expect(ExprCommand.answer(#"{"expression": "nope()"}"#) == #"{"error":"evaluation failed: unknown function \"nope\" at 1:1"}"#)
        #expect(ExprCommand.answer("not json").hasPrefix(#"{"error":"#))
    }
}

private final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func mutate(_ body: (inout Value) -> Void) { lock.lock(); body(&stored); lock.unlock() }
}
