import Foundation
import Testing
@testable import WharfExpression

/// Activation conditions and mappings as connectors write them (Camunda's SQS connector's own
/// examples among them), against the message object the consumer builds
/// (README.md#trying-an-expression-wharf-expr).
@Suite struct ConnectorExampleTests {
    static let conditions: [Case] = [
        Case(#"=(messageAttributes.key.stringValue="value")"#, true),
        Case(#"=(messageAttributes.key.stringValue="other")"#, false),
        Case(#"=(messageAttributes.absent.stringValue="value")"#, false),
        Case(#"=body.action = "labeled" and body.label.name = "qa:required""#, true),
        Case(#"=body.action = "labeled" and body.label.name = "qa:optional""#, false),
        // x is not part of the message: not defined, so the condition is false, not an error.
        Case(#"=is defined(x) and not(list contains(["submitted","working"], x))"#, false),
    ]

    @Test(arguments: conditions)
    func condition(_ c: Case) throws {
        #expect(try eval(c.source) == c.expected)
    }

    @Test(arguments: [("done", true), ("working", false), ("submitted", false)] as [(FEELValue, Bool)])
    func isDefinedAndNotInList(x: FEELValue, fires: Bool) throws {
        let expression = try FEELExpression(
            parsing: #"=is defined(x) and not(list contains(["submitted","working"], x))"#)
        #expect(try expression.matches(Fixture.message(with: [("x", x)])) == fires)
    }

    @Test func bodyId() throws {
        #expect(try eval("=body.id") == 1001)
    }

    @Test func resultBody() throws {
        #expect(try eval("={resultBody: body}") == ["resultBody": Fixture.body])
    }

    @Test func resultBodyIdAndMessageId() throws {
        let result = try eval("={resultBody: body, bodyId: body.id, messageId: messageId}")
        #expect(result == [
            "resultBody": Fixture.body, "bodyId": 1001,
            "messageId": "5fea7756-0ea4-451a-a703-a558b933e274",
        ])
        guard case .context(let c) = result else { Issue.record("not a context"); return }
        #expect(c.keys == ["resultBody", "bodyId", "messageId"])
    }

    @Test func createdMessageIdFromResponse() throws {
        let result = try eval(#"={"createdMessageID": response.messageId}"#, in: Fixture.resultScope)
        #expect(result == ["createdMessageID": "5fea7756-0ea4-451a-a703-a558b933e274"])
    }

    @Test func recordCountAndFirstPerson() throws {
        let source = "={recordCount: count(records), firstPerson: records[1].name}"
        #expect(try eval(source, in: Fixture.body) == ["recordCount": 3, "firstPerson": "Ada"])
        // Against the message itself `records` is missing: nulls, not an error.
        #expect(try eval(source) == ["recordCount": nil, "firstPerson": nil])
    }

    @Test func conditionFiresOnlyOnExactlyTrue() throws {
        for source in ["null", "1", #""true""#, "body.missing", "[true]", "false"] {
            #expect(try FEELExpression(parsing: source).matches(Fixture.message) == false, "\(source)")
        }
        #expect(try FEELExpression(parsing: "true").matches(Fixture.message))
    }

    @Test func parsedOnceEvaluatedMany() throws {
        let condition = try FEELExpression(parsing: "=number(messageAttributes.retries.stringValue) > n")
        let results = try (5...9).map { n throws in
            try condition.evaluate(in: Fixture.message(with: [("n", .number(Decimal(n)))]))
        }
        #expect(results == [true, true, false, false, false])
    }
}
