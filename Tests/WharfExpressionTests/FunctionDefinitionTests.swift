import Foundation
import Testing
@testable import WharfExpression

/// `function(a, b) body`, closures, recursion, and calls with named arguments.
@Suite struct FunctionDefinitionTests {
    static let cases: [Case] = [
        Case("(function(a, b) a + b)(1, 2)", 3), Case("-(function(a) a)(10)", -10),
        Case("{f: function(a, b) a - b, r: f(b: 1, a: 10)}.r", 9),
        Case("{f: function(a, b) [a, b], r: f(b: 2)}.r", [nil, 2]),
        Case("{add: function(x: number, y: number) x + y, r: add(2, 3)}.r", 5),
        Case("{n: 10, f: function(x) x + n, r: f(1)}.r", 11),
        Case("{fact: function(n) if n <= 1 then 1 else n * fact(n - 1), r: fact(10)}.r", 3_628_800),
        Case("{twice: function(f, x) f(f(x)), inc: function(x) x + 1, r: twice(inc, 0)}.r", 2),
        Case("sort([3, 1, 2], function(x, y) x > y)", [3, 2, 1]),
        Case(#"sort(body.items, function(a, b) a.price > b.price).sku"#, ["C", "B", "A"]),
        Case("list replace([2, 4, 7], function(item, newItem) item < newItem, 5)", [5, 5, 7]),
        Case("(function(a) a) = (function(a) a)", false),
        Case("{f: function(a) a, g: f, r: f = g}.r", true),
        // Built-ins take named arguments too, under the DMN parameter names.
        Case(#"substring(string: "foobar", start position: 3)"#, "obar"),
        Case(#"string join(delimiter: "-", list: ["a", "b"])"#, "a-b"), Case("abs(n: -1)", 1),
        Case(#"number(from: "1 000,5", grouping separator: " ", decimal separator: ",")"#, 1000.5),
        Case("date(year: 2017, month: 8, day: 30) = @\"2017-08-30\"", true),
        Case("round half up(n: 2.5, scale: 0)", 3), Case("before(point1: 1, point2: 2)", true),
        // A user function named like a built-in wins.
        Case("{abs: function(x) 42, r: abs(-1)}.r", 42),
    ]

    @Test(arguments: cases)
    func function(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    static let errors: [(String, FEELEvaluationError.Reason)] = [
        ("(function(a) a)(1, 2)", .wrongArity(function: "function", expected: "1", got: 2)),
        ("{f: function(a) a, r: f(b: 1)}.r", .badParameter(function: "f", message: #"no parameter named "b""#)),
        ("abs(number: 1)", .badParameter(function: "abs", message: #"no parameter named "number""#)),
        ("{f: function(n) f(n + 1), r: f(1)}.r", .recursionTooDeep),
        (#""abs"(1)"#, .notAFunction(#""abs""#)), ("body(1)", .notAFunction("body")),
        ("assert(1, 1 > 2, \"too small\")", .assertionFailed("too small")),
    ]

    @Test(arguments: errors)
    func error(source: String, reason: FEELEvaluationError.Reason) throws {
        let error = #expect(throws: FEELEvaluationError.self) { try eval(source) }
        #expect(error?.reason == reason)
    }

    /// Recursion is cut off before it can overflow a small stack (a 512 KiB thread, the
    /// size of a secondary thread on Darwin).
    @Test func runawayRecursionStopsOnASmallStack() async throws {
        let expression = try FEELExpression(parsing: "{f: function(n) if n > 0 then f(n + 1) else 0, r: f(1)}.r")
        let outcome = Locked<String>("")
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                do {
                    _ = try expression.evaluate(in: nil)
                    outcome.set("no error")
                } catch let error as FEELEvaluationError {
                    outcome.set("\(error.reason)")
                } catch {
                    outcome.set("\(error)")
                }
                done.resume()
            }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        #expect(outcome.get() == "function calls nested too deeply")
    }
}

/// A value written from one thread and read from another, for the stack test.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func set(_ new: Value) { lock.lock(); value = new; lock.unlock() }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
}
