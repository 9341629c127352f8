import Foundation
import Testing
@testable import WharfExpression

/// The rest of the built-in library: strings, lists, aggregates, contexts, booleans.
@Suite struct LibraryTests {
    static let strings: [Case] = [
        Case(#"substring before("foobar", "bar")"#, "foo"), Case(#"substring after("foobar", "ob")"#, "ar"),
        Case(#"substring after("foobar", "x")"#, ""), Case(#"replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")"#, "[1=ab][2=]cd"),
        Case(#"replace("Abcd", "b", "x", "i")"#, "Axcd"), Case(#"replace("a.b", ".", "-", "q")"#, "a-b"),
        Case(#"split("a;b;c;;", ";")"#, ["a", "b", "c", "", ""]), Case(#"split("John Doe", "\s")"#, ["John", "Doe"]),
        Case(#"extract("a1b22c333", "[0-9]+")"#, ["1", "22", "333"]), Case(#"trim("  x  ")"#, "x"),
        Case(#"is blank(" ")"#, true), Case(#"to base64("FEEL")"#, "RkVFTA=="),
        Case(#"string join(["a", null, "c"], ", ")"#, "a, c"), Case(#"string join([1, 2])"#, nil),
        Case(#"matches("x", "[A-Z-[OI]]", "i")"#, true), Case(#"matches("O", "[A-Z-[OI]]", "i")"#, false),
        Case(#"matches("hello world", "\p{IsBasicLatin}+")"#, true), Case(#"matches("Mary\u000DJones", "Mary.Jones")"#, false),
        Case(#"matches("abc\n", "abc$")"#, false), Case(#"matches("hello world", "hello\ sworld", "x")"#, true),
        Case(#"matches("aA", "(a)\1", "i")"#, true), Case(#"encode for URI("a b/c")"#, "a%20b%2Fc"),
        Case(#"upper case("straße")"#, "STRASSE"), Case(#"string length("😀")"#, 1),
        Case(#"contains("e\u0301", "é")"#, false),
    ]
    static let lists: [Case] = [
        Case("sublist([1, 2, 3], 2)", [2, 3]), Case("sublist([1, 2, 3], -1, 1)", [3]), Case("append([1], 2, 3)", [1, 2, 3]),
        Case("concatenate([1], [2], [3])", [1, 2, 3]), Case("insert before([1, 3], 2, 2)", [1, 2, 3]),
        Case("remove([1, 2, 3], -1)", [1, 2]), Case("reverse([1, 2, 3])", [3, 2, 1]), Case("index of([1, 2, 1], 1)", [1, 3]),
        Case("union([1, 2], [2, 3])", [1, 2, 3]), Case("distinct values([1, 2, 1, 2.0])", [1, 2]),
        Case("duplicate values([1, 2, 1, 3, 3, 3])", [1, 3]), Case("flatten([1, [2, [3, [4]]]])", [1, 2, 3, 4]),
        Case("sort([3, 1, 2])", [1, 2, 3]), Case(#"sort(["b", "a", "B"])"#, ["B", "a", "b"]),
        Case("sort([3, \"a\"])", nil), Case("list replace([1, 2, 3], -1, 4)", [1, 2, 4]),
        Case("partition([1, 2, 3, 4, 5], 2)", [[1, 2], [3, 4], [5]]), Case("is empty([])", true),
        Case("remove([1], 2)", nil),
    ]
    static let aggregates: [Case] = [
        Case("sum([1, 2, 3])", 6), Case("sum(1, 2, 3)", 6), Case("sum([])", nil), Case("sum([1, null])", nil),
        Case("mean([1, 2, 3, 4])", 2.5), Case("median([3, 1, 2])", 2), Case("median([1, 2, 3, 4])", 2.5),
        Case("stddev([2, 4, 7, 5])", .number(Decimal(string: "2.081665999466132735282297706979931")!)),
        Case("mode([3, 6, 1, 9, 6, 1, 3])", [1, 3, 6]), Case("product(2, 3, 4)", 24), Case("min([3, 1, 2])", 1),
        Case(#"max("a", "c", "b")"#, "c"), Case(#"max([@"2021-01-01", @"2022-01-01"]) = @"2022-01-01""#, true),
        Case("min([1, \"a\"])", nil), Case("all([true, true])", true), Case("all([true, null])", nil),
        Case("all([])", true), Case("any([false, null, true])", true), Case("any([])", false),
        Case("count(body.items[price > 10])", 2), Case("sum(body.items.price)", 50.5),
    ]
    static let contexts: [Case] = [
        Case(#"get value({a: 1}, "a")"#, 1), Case(#"get value({a: {b: 2}}, ["a", "b"])"#, 2),
        Case(#"get entries({a: 1, b: 2})"#, [["key": "a", "value": 1], ["key": "b", "value": 2]]),
        Case(#"context put({a: 1}, "b", 2)"#, ["a": 1, "b": 2]), Case(#"context put({a: {b: 1}}, ["a", "c"], 2)"#, ["a": ["b": 1, "c": 2]]),
        Case("context merge([{a: 1}, {b: 2}, {a: 3}])", ["a": 3, "b": 2]),
        Case(#"context([{key: "a", value: 1}, {key: "b", value: 2}])"#, ["a": 1, "b": 2]),
        Case("get or else(body.missing, 5)", 5), Case("get or else(body.id, 5)", 1001),
        Case("is defined(body.missing)", false), Case("is defined(value: 1)", true),
        Case("{a: 1, b: a + 1, c: b * 2}.c", 4),
    ]

    @Test(arguments: strings + lists + aggregates + contexts)
    func builtin(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }
}
