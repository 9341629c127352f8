import Foundation
import SQSModel
import Testing
@testable import WharfClient
import WharfTestSupport

@Suite struct SigningTests {
    /// The client's own request pipeline (JSON encoding, headers, SigV4) reproduces botocore's
    /// signature of docs/sqs-behaviour.md#signed-examples byte for byte.
    @Test func reproducesTheWorkedExampleOfTheSpec() throws {
        let client = SQSClient(configuration: SQSClientConfiguration(
            region: "us-east-1", endpoint: URL(string: "https://sqs.us-east-1.amazonaws.com")!))
        // The client writes keys sorted; botocore wrote them in model order. Same JSON, other bytes:
        // sign botocore's bytes to compare signatures.
        let encoded = try AWSJSON.encode(SendMessageRequest(
            QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue", MessageBody: "Hello"))
        #expect(String(decoding: encoded, as: UTF8.self)
                == #"{"MessageBody":"Hello","QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue"}"#)
        let body = Array(#"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue","MessageBody":"Hello"}"#.utf8)
        let signed = client.signedRequest(
            .sendMessage, body: body, url: client.endpoint,
            credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            epochSeconds: 1_705_320_000)  // 2024-01-15T12:00:00Z
        let authorization = try #require(signed.headers.first { $0.name == "Authorization" }?.value)
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/sqs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-amzn-query-mode, Signature=7f20da39b23f13d752c0c43a406440d19e33d36e1613c6d18f0027d83d66859c")
        #expect(signed.url == "https://sqs.us-east-1.amazonaws.com/")
    }

    /// The botocore-signed JSON requests of docs/sqs-behaviour.md#signed-examples (their bodies use
    /// botocore's spacing, so the exact bytes are signed).
    @Test(arguments: [
        (SQSOperation.sendMessage,
         #"{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue", "MessageBody": "Hello from SQS", "MessageAttributes": {"City": {"DataType": "String", "StringValue": "Any City"}, "Count": {"DataType": "Number.int", "StringValue": "42"}, "Blob": {"DataType": "Binary", "BinaryValue": "AAEC"}}, "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}}"#,
         "58a008b4fecf99c8e44d5524f2971fbc24cb22a536c6e652d46c8afe2fe12b44"),
        (SQSOperation.receiveMessage,
         #"{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue", "MaxNumberOfMessages": 2, "WaitTimeSeconds": 10, "VisibilityTimeout": 30, "MessageSystemAttributeNames": ["All"], "MessageAttributeNames": ["All"]}"#,
         "b3d3c240273d4098135c86ba7f3ac182651c2158a5e07b0e13e65d21940bc32c"),
    ])
    func reproducesTheCompleteExamplesOfTheSpec(operation: SQSOperation, body: String, signature: String) {
        var configuration = SQSClientConfiguration(region: "us-east-1")  // the default endpoint
        configuration.environment = [:]
        let client = SQSClient(configuration: configuration)
        #expect(client.endpoint.absoluteString == "https://sqs.us-east-1.amazonaws.com")
        let signed = client.signedRequest(
            operation, body: Array(body.utf8), url: client.endpoint,
            credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            epochSeconds: 1_705_320_000)
        #expect(signed.headers.first { $0.name == "Authorization" }?.value.hasSuffix("Signature=\(signature)") == true)
    }

    @Test func hostHeaderKeepsNonDefaultPortsAndSignsTheSessionToken() {
        let client = SQSClient(configuration: SQSClientConfiguration(region: "eu-west-1", endpoint: URL(string: "http://127.0.0.1:9324")!))
        let signed = client.signedRequest(.listQueues, body: Array("{}".utf8), url: client.endpoint,
                                          credentials: AWSCredentials(accessKeyId: "A", secretAccessKey: "s", sessionToken: "tok"),
                                          epochSeconds: 1_705_320_000)
        #expect(signed.headers.first { $0.name == "Host" }?.value == "127.0.0.1:9324")
        #expect(signed.headers.first { $0.name == "X-Amz-Security-Token" }?.value == "tok")
        let authorization = signed.headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(authorization.contains("/eu-west-1/sqs/aws4_request"))
        #expect(authorization.contains("x-amz-security-token"))
    }

    /// Against a server that verifies signatures: the right key works, a wrong secret or an
    /// unknown key gets AWS's codes.
    @Test func liveServerVerifiesTheSignature() async throws {
        try await withWharf(environment: ["WHARF_ACCESS_KEY_ID": "AKIDLIVE", "WHARF_SECRET_ACCESS_KEY": "right-secret"]) { server in
            let good = server.client { $0.credentials = StaticCredentialsProvider(accessKeyId: "AKIDLIVE", secretAccessKey: "right-secret") }
            let url = try await good.createQueue(named: "signed")
            try await good.sendMessage("signed body", to: url)
            #expect(try await good.receiveMessages(from: url).first?.body == "signed body")

            let wrongSecret = server.client { $0.credentials = StaticCredentialsProvider(accessKeyId: "AKIDLIVE", secretAccessKey: "wrong") }
            let mismatch = await #expect(throws: SQSClientError.self) { try await wrongSecret.queueURL(named: "signed") }
            #expect(mismatch?.code == "SignatureDoesNotMatch")
            #expect(mismatch?.httpStatus == 403)

            let unknown = server.client { $0.credentials = StaticCredentialsProvider(accessKeyId: "AKIDOTHER", secretAccessKey: "x") }
            let invalid = await #expect(throws: SQSClientError.self) { try await unknown.queueURL(named: "signed") }
            #expect(invalid?.code == "InvalidClientTokenId")
        }
    }
}
