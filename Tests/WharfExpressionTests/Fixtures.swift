import Foundation
import Testing
@testable import WharfExpression

/// A message object shaped as the consumer builds it (README.md#trying-an-expression-wharf-expr)
/// from a ReceiveMessage response.
enum Fixture {
    static let rawBody = """
        {"id": 1001, "action": "labeled", "label": {"name": "qa:required", "color": "d73a4a"},
         "status": "working", "note": null, "total": 12.50,
         "records": [{"name": "Ada", "age": 36}, {"name": "Grace", "age": 85}, {"name": "Linus"}],
         "items": [{"sku": "A", "price": 5}, {"sku": "B", "price": 15.5}, {"sku": "C", "price": 30}],
         "tags": ["urgent", "billing"], "matrix": [[1, 2], [3, 4]]}
        """

    static let body: FEELValue = try! FEELValue(jsonString: rawBody)

    static let message: FEELValue = [
        "messageId": "5fea7756-0ea4-451a-a703-a558b933e274",
        "receiptHandle": "MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw",
        "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "md5OfMessageAttributes": "00484c68...59e48f06",
        "body": body,
        "rawBody": .string(rawBody),
        "attributes": [
            "ApproximateReceiveCount": "3",
            "SentTimestamp": "1545082649183",
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": "1545082649185",
        ],
        "messageAttributes": [
            "key": ["stringValue": "value", "stringListValues": [], "binaryListValues": [], "dataType": "String"],
            "retries": ["stringValue": "7", "stringListValues": [], "binaryListValues": [], "dataType": "Number"],
            "blob": ["binaryValue": "AQID", "stringListValues": [], "binaryListValues": [], "dataType": "Binary"],
        ],
        "queueUrl": "http://localhost:9324/000000000000/orders",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:orders",
        "awsRegion": "us-east-1",
    ]

    /// Result expressions also see the message as `response`.
    static let resultScope: FEELValue = {
        guard case .context(var c) = message else { fatalError() }
        c["response"] = message
        return .context(c)
    }()

    /// 2024-05-01T12:34:56.789Z, fixed so now() and today() are testable.
    static let environment = FEELEnvironment(now: { Date(timeIntervalSince1970: 1_714_566_896.789) })

    /// The message with extra top-level variables, for expressions that use free names.
    static func message(with extra: [(String, FEELValue)]) -> FEELValue {
        guard case .context(var c) = message else { fatalError() }
        for (k, v) in extra { c[k] = v }
        return .context(c)
    }
}

func eval(_ source: String, in context: FEELValue = Fixture.message) throws -> FEELValue {
    try FEELExpression(parsing: source).evaluate(in: context, environment: Fixture.environment)
}

/// A (source, expected) row; CustomTestStringConvertible keeps the test names readable.
struct Case: Sendable, CustomTestStringConvertible {
    let source: String
    let expected: FEELValue
    init(_ source: String, _ expected: FEELValue) {
        self.source = source
        self.expected = expected
    }
    var testDescription: String { "\(source) → \(expected)" }
}
