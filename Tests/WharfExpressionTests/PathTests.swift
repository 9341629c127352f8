import Foundation
import Testing
@testable import WharfExpression

/// Paths never fail: a missing step is null. Indexes are 1-based, negative from the end.
@Suite struct PathTests {
    static let paths: [Case] = [
        Case("body.label.name", "qa:required"),
        Case("attributes.ApproximateReceiveCount", "3"),
        Case("messageAttributes.retries.dataType", "Number"),
        Case("messageAttributes.blob.binaryValue", "AQID"),
        Case("messageAttributes.key.stringListValues", []),
        Case("eventSource", "aws:sqs"),
        Case("nothing", nil), Case("nothing.at.all", nil), Case("body.note.deeper", nil),
        Case("body.id.digits", nil), Case("body.action.length", nil), Case("body.tags.x.y", [nil, nil]),
        Case("messageId.foo[1]", nil),
    ]
    static let indexes: [Case] = [
        Case("body.tags[1]", "urgent"), Case("body.tags[2]", "billing"),
        Case("body.tags[-1]", "billing"), Case("body.tags[-2]", "urgent"),
        Case("body.tags[0]", nil), Case("body.tags[3]", nil), Case("body.tags[-3]", nil),
        Case("body.tags[1.5]", nil), Case("body.records[2].name", "Grace"),
        Case("body.records[3].age", nil), Case("body.matrix[2][1]", 3), Case("body.matrix[-1][-1]", 4),
        Case("body.tags[count(body.tags)]", "billing"), Case("[10, 20, 30][1 + 1]", 20),
        Case("body.tags[-9223372036854775808]", nil), Case("body.tags[99999999999999999999999]", nil),
        // A value that is not a list filters as the list of itself (FEEL singletons).
        Case("body.label[1]", ["name": "qa:required", "color": "d73a4a"]), Case("body.missing[1]", nil),
        Case(#""abc"[1]"#, "abc"), Case(#""abc"[2]"#, nil), Case("null[1]", nil),
    ]
    static let filters: [Case] = [
        Case("body.items[price > 10].sku", ["B", "C"]),
        Case("body.items[price > 100]", []),
        Case("body.items[item.price < 10][1].sku", "A"),
        Case("[1, 5, 12, 20][item >= 5]", [5, 12, 20]),
        Case(#"body.records[name = "Grace"][1].age"#, 85),
        // Linus has no age: the comparison is null, so he is filtered out, no error.
        Case("body.records[age > 0].name", ["Ada", "Grace"]),
        // Names not on the element fall back to the enclosing scope.
        Case(#"body.items[sku = body.tags[1]]"#, []),
        Case(#"body.items[price > body.total].sku"#, ["B", "C"]),
        Case("body.items[true].sku", ["A", "B", "C"]), Case("body.items[null]", []),
        Case("body.missing[price > 1]", nil), Case("body.label[true]", [["name": "qa:required", "color": "d73a4a"]]),
        Case("body.label[color = \"x\"]", []),
    ]
    /// A path on a list maps over the elements (FEEL), missing keys giving null.
    static let projections: [Case] = [
        Case("body.records.name", ["Ada", "Grace", "Linus"]),
        Case("body.records.age", [36, 85, nil]),
        Case("count(body.items.sku)", 3),
    ]

    @Test(arguments: paths + indexes + filters + projections)
    func path(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    static let isDefined: [Case] = [
        Case("is defined(body)", true), Case("is defined(body.note)", true),
        Case("is defined(body.missing)", false), Case("is defined(missing.deeper)", false),
        Case("is defined(body.note.deeper)", false), Case("is defined(body.tags[2])", true),
        Case("is defined(body.tags[5])", false), Case("is defined(null)", true),
        Case("is defined(1 + body.missing)", true), Case("is defined(body.records[1].age)", true),
        Case("is defined(body.records[3].age)", false),
    ]

    @Test(arguments: isDefined)
    func definedness(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    @Test func evaluatesAgainstANonContextRoot() throws {
        #expect(try eval("x", in: "just a string body") == nil)
        #expect(try eval("1 + 1", in: nil) == 2)
    }
}
