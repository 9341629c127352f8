import Foundation
import SQSDigest
import SQSModel
import Testing
import WharfClient
import WharfTestSupport

/// A client aimed at a stub, with fast retries.
func stubClient(_ stub: StubServer, _ configure: (inout SQSClientConfiguration) -> Void = { _ in }) -> SQSClient {
    var configuration = SQSClientConfiguration(region: "us-east-1", endpoint: stub.url,
                                               credentials: StaticCredentialsProvider(accessKeyId: "A", secretAccessKey: "s"))
    configuration.environment = [:]
    configuration.retry = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05)
    configure(&configuration)
    return SQSClient(configuration: configuration)
}

let queueUrlBody = #"{"QueueUrl":"http://127.0.0.1/000000000000/q"}"#

@Suite struct RetryTests {
    @Test func droppedConnectionsAreRetried() async throws {
        let stub = StubServer([.drop, .drop, .json(queueUrlBody)])
        defer { stub.stop() }
        #expect(try await stubClient(stub).queueURL(named: "q") == "http://127.0.0.1/000000000000/q")
        #expect(stub.requests.count == 3)
    }

    @Test func serverErrorsAndThrottlingAreRetried() async throws {
        let stub = StubServer([
            .json(#"{"__type":"com.amazon.coral.service#InternalFailure","message":"boom"}"#, status: 500),
            .respond(status: 403, headers: ["x-amzn-query-error": "RequestThrottled;Sender"],
                     body: #"{"__type":"com.amazonaws.sqs#RequestThrottled","message":"slow down"}"#),
            .json(queueUrlBody)])
        defer { stub.stop() }
        _ = try await stubClient(stub).queueURL(named: "q")
        #expect(stub.requests.count == 3)
        // Each attempt is signed anew (and carries the JSON 1.0 headers).
        #expect(stub.requests.allSatisfy { $0.contains("X-Amz-Target: AmazonSQS.GetQueueUrl") && $0.contains("Authorization: AWS4-HMAC-SHA256") })
    }

    @Test func attemptsAreBoundedAndClientErrorsAreNotRetried() async throws {
        let failing = StubServer([.json(#"{"__type":"InternalFailure","message":"down"}"#, status: 503)])
        defer { failing.stop() }
        let error = await #expect(throws: SQSClientError.self) {
            try await stubClient(failing) { $0.retry.maxAttempts = 4 }.queueURL(named: "q")
        }
        #expect(error?.httpStatus == 503 && error?.code == "InternalFailure")
        #expect(failing.requests.count == 4)

        let missing = StubServer([.respond(status: 400, headers: ["x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender"],
                                           body: #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#)])
        defer { missing.stop() }
        await #expect(throws: SQSClientError.self) { try await stubClient(missing).queueURL(named: "q") }
        #expect(missing.requests.count == 1)
    }

    @Test func connectionRefusedIsRetriedThenReported() async throws {
        var configuration = SQSClientConfiguration(region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:\(Sockets.freePort())")!,
                                                   credentials: StaticCredentialsProvider(accessKeyId: "A", secretAccessKey: "s"))
        configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.01)
        let error = await #expect(throws: SQSClientError.self) { try await SQSClient(configuration: configuration).queueURL(named: "q") }
        guard case .transport = error else { Issue.record("expected .transport, got \(String(describing: error))"); return }
    }

    @Test func slowResponsesTimeOut() async throws {
        let stub = StubServer([.delay(2.5, .json(queueUrlBody))])
        defer { stub.stop() }
        let error = await #expect(throws: SQSClientError.self) {
            try await stubClient(stub) { $0.timeout = 0.5 }.queueURL(named: "q")
        }
        guard case .timeout = error else { Issue.record("expected .timeout, got \(String(describing: error))"); return }
    }

    @Test func backoffIsFullJitterUnderAnExponentialCeiling() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.1, maxDelay: 1)
        for attempt in 1...6 {
            let ceiling = min(1, 0.1 * pow(2, Double(attempt - 1)))
            for _ in 0..<50 { #expect((0..<ceiling).contains(policy.delay(afterAttempt: attempt))) }
        }
    }
}

@Suite struct ErrorParsingTests {
    @Test func queryErrorHeaderGivesTheCodeAndTypeGivesTheShape() async throws {
        let stub = StubServer([.respond(status: 400, headers: [
            "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender", "x-amzn-RequestId": "req-1"],
            body: #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#)])
        defer { stub.stop() }
        let error = await #expect(throws: SQSClientError.self) { try await stubClient(stub).queueURL(named: "q") }
        guard case .service(let sqsError, let requestId) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(sqsError.queryCode == "AWS.SimpleQueueService.NonExistentQueue")
        #expect(sqsError.code == .queueDoesNotExist && sqsError.modeled && sqsError.senderFault)
        #expect(sqsError.message == "The specified queue does not exist.")
        #expect(requestId == "req-1")
    }

    @Test func withoutTheHeaderTheShapeIsTheCode() async throws {
        let stub = StubServer([.json(#"{"__type":"com.amazon.coral.service#InvalidParameterValueException:http://internal.amazon.com/","Message":"bad"}"#, status: 400)])
        defer { stub.stop() }
        let error = await #expect(throws: SQSClientError.self) { try await stubClient(stub).queueURL(named: "q") }
        #expect(error?.code == "InvalidParameterValueException")
        #expect(error?.message == "bad")
    }
}

@Suite struct ChecksumTests {
    /// docs/sqs-behaviour.md#digest-test-vectors.
    @Test func digestsMatchTheSpecVectors() {
        #expect(MessageDigest.md5(ofBody: "Hello from SQS") == "c7a5a80bb4b8f56b68b7786e692e4a8b")
        let worked: MessageAttributes = [
            "City": MessageAttributeValue(dataType: "String", stringValue: "Any City"),
            "Count": MessageAttributeValue(dataType: "Number.int", stringValue: "42"),
            "Blob": MessageAttributeValue(dataType: "Binary", binaryValue: Data([0, 1, 2])),
        ]
        #expect(MessageDigest.md5(ofAttributes: worked) == "27f137935bc9d60f824ed82d6a69fba1")
        #expect(MessageDigest.md5(ofAttributes: ["timestamp": MessageAttributeValue(dataType: "Number", stringValue: "1493147359900")])
                == "235c5c510d26fb653d073faed50ae77c")
        let three: MessageAttributes = [
            "General": MessageAttributeValue(dataType: "String", stringValue: "Kenobi"),
            "Hello": MessageAttributeValue(dataType: "String", stringValue: "There"),
            "Help.Me": MessageAttributeValue(dataType: "String", stringValue: "Me"),
        ]
        #expect(MessageDigest.md5(ofAttributes: three) == "4c360f3fdafd970e05fae2f149d997f5")
        #expect(MessageDigest.md5(ofAttributes: [:]) == nil)
    }

    @Test func wrongBodyDigestOnReceiveIsDetected() async throws {
        let body = #"{"Messages":[{"MessageId":"m-1","ReceiptHandle":"rh","MD5OfBody":"00000000000000000000000000000000","Body":"hello"}]}"#
        let stub = StubServer([.json(body)])
        defer { stub.stop() }
        let error = await #expect(throws: SQSClientError.self) {
            try await stubClient(stub).receiveMessages(from: "http://127.0.0.1/0/q")
        }
        guard case .checksumMismatch(let mismatch) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(mismatch == ChecksumMismatch(field: "MD5OfBody", id: "m-1", expected: MessageDigest.md5(ofBody: "hello"),
                                             received: "00000000000000000000000000000000"))
        // Not retried, and accepted when verification is off.
        #expect(stub.requests.count == 1)
        let unchecked = try await stubClient(stub) { $0.verifyChecksums = false }.receiveMessages(from: "http://127.0.0.1/0/q")
        #expect(unchecked.first?.body == "hello")
    }

    @Test func wrongDigestsOnSendAreDetected() async throws {
        let goodBody = MessageDigest.md5(ofBody: "hi")
        let stub = StubServer([
            .json(#"{"MD5OfMessageBody":"\#(goodBody)","MD5OfMessageAttributes":"ffffffffffffffffffffffffffffffff","MessageId":"m-2"}"#),
            .json(#"{"Successful":[{"Id":"0","MessageId":"m-3","MD5OfMessageBody":"ffffffffffffffffffffffffffffffff"}]}"#)])
        defer { stub.stop() }
        let sqs = stubClient(stub)
        let attributeError = await #expect(throws: SQSClientError.self) {
            try await sqs.sendMessage("hi", to: "http://127.0.0.1/0/q", messageAttributes: ["a": "b"])
        }
        guard case .checksumMismatch(let mismatch) = attributeError else { Issue.record("\(String(describing: attributeError))"); return }
        #expect(mismatch.field == "MD5OfMessageAttributes")
        let batchError = await #expect(throws: SQSClientError.self) {
            try await sqs.sendMessages(["hi"], to: "http://127.0.0.1/0/q")
        }
        guard case .checksumMismatch(let batchMismatch) = batchError else { Issue.record("\(String(describing: batchError))"); return }
        #expect(batchMismatch.field == "MD5OfMessageBody" && batchMismatch.id == "0")
    }
}
