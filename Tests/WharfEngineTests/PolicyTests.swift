import Foundation
import SQSModel
import Testing
@testable import WharfEngine

/// Queue policies: the evaluator's matrix, and AddPermission / RemovePermission through the engine.
@Suite struct PolicyTests {
    static let arn = "arn:aws:sqs:us-east-1:000000000000:q"
    let other = CallContext(accountId: "111111111111", region: "us-east-1", endpoint: "http://localhost:9324",
                            senderId: "OTHER")
    let stranger = CallContext(accountId: "222222222222", region: "us-east-1", endpoint: "http://localhost:9324",
                               senderId: "STRANGER")

    static func policy(_ statements: String) throws -> QueuePolicy {
        try QueuePolicy.parse(#"{"Version":"2012-10-17","Statement":["# + statements + "]}")
    }

    static func decide(_ policy: QueuePolicy, account: String = "111111111111", action: String = "SendMessage",
                       resource: String = arn, secure: Bool = false) -> QueuePolicy.Decision {
        policy.evaluate(QueuePolicy.Request(account: account, action: action, resourceArn: resource, secureTransport: secure))
    }

    @Test func principalsActionsAndResources() throws {
        let p = try Self.policy(#"{"Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::333333333333:root"]},"Action":"sqs:Send*","Resource":"arn:aws:sqs:*:000000000000:q"}"#)
        #expect(Self.decide(p) == .allow)
        #expect(Self.decide(p, account: "333333333333") == .allow)
        #expect(Self.decide(p, account: "222222222222") == .noDecision)
        #expect(Self.decide(p, action: "ReceiveMessage") == .noDecision)
        #expect(Self.decide(p, resource: "arn:aws:sqs:us-east-1:000000000000:other") == .noDecision)
        let everyone = try Self.policy(#"{"Effect":"Allow","Principal":"*","Action":"SQS:*"}"#)
        #expect(Self.decide(everyone, account: "999999999999", action: "PurgeQueue") == .allow)
        // A user ARN names an identity Wharf does not have: it grants nothing.
        let user = try Self.policy(#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"*"}"#)
        #expect(Self.decide(user) == .noDecision)
    }

    @Test func explicitDenyWins() throws {
        let p = try Self.policy(#"""
            {"Effect":"Allow","Principal":"*","Action":"sqs:*"},
            {"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"sqs:SendMessage"}
            """#)
        #expect(Self.decide(p) == .deny)
        #expect(Self.decide(p, action: "ReceiveMessage") == .allow)
        #expect(Self.decide(p, account: "222222222222") == .allow)
    }

    @Test func conditions() throws {
        let p = try Self.policy(#"""
            {"Effect":"Allow","Principal":"*","Action":"sqs:*","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}},
            {"Effect":"Deny","Principal":"*","Action":"sqs:PurgeQueue","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
            {"Effect":"Allow","Principal":"*","Action":"sqs:ReceiveMessage","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*"}}}
            """#)
        #expect(Self.decide(p) == .allow)
        #expect(Self.decide(p, account: "222222222222") == .noDecision)
        #expect(Self.decide(p, action: "PurgeQueue") == .deny)
        #expect(Self.decide(p, action: "PurgeQueue", secure: true) == .allow)
        // No source ARN on the request: an ArnLike condition on it cannot match.
        #expect(Self.decide(p, account: "222222222222", action: "ReceiveMessage") == .noDecision)
    }

    @Test(arguments: ["not json", "[]", #"{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"*"}]}"#,
                      #"{"Statement":[{"Effect":"Allow","Action":"*"}]}"#, #"{"Version":"2012-10-17"}"#])
    func invalidPoliciesAreRejectedOnSet(_ text: String) async throws {
        let h = try await Harness()
        let url = try await h.createQueue("q")
        await expectSQSError("InvalidAttributeValue") {
            _ = try await h.engine.setQueueAttributes(SetQueueAttributesRequest(QueueUrl: url, Attributes: ["Policy": text]), ctx)
        }
    }

    @Test func wildcards() {
        #expect(QueuePolicy.wildcard("sqs:*Message", matches: "sqs:deletemessage", caseInsensitive: true))
        #expect(QueuePolicy.wildcard("a?c", matches: "abc", caseInsensitive: false))
        #expect(!QueuePolicy.wildcard("a?c", matches: "ac", caseInsensitive: false))
        #expect(QueuePolicy.wildcard("*", matches: "", caseInsensitive: false))
    }

    @Test func addPermissionWritesAWSShapedPolicyAndGrantsAccess() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("q")
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { try await h.send(url, "before", in: other) }
        _ = try await h.engine.addPermission(AddPermissionRequest(QueueUrl: url, Label: "send", AWSAccountIds: ["111111111111"],
                                                                  Actions: ["SendMessage"]), ctx)
        let policy = try #require(try await h.attributes(url, ["Policy"])["Policy"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(policy.utf8)) as? [String: Any])
        #expect(json["Version"] as? String == "2008-10-17")
        #expect(json["Id"] as? String == "\(Self.arn)/SQSDefaultPolicy")
        let statement = try #require((json["Statement"] as? [[String: Any]])?.first)
        #expect(statement["Sid"] as? String == "send")
        #expect(statement["Effect"] as? String == "Allow")
        #expect((statement["Principal"] as? [String: Any])?["AWS"] as? String == "arn:aws:iam::111111111111:root")
        #expect(statement["Action"] as? String == "SQS:SendMessage")
        #expect(statement["Resource"] as? String == Self.arn)

        try await h.send(url, "granted", in: other)
        _ = try await h.engine.sendMessageBatch(SendMessageBatchRequest(
            QueueUrl: url, Entries: [SendMessageBatchRequestEntry(Id: "a", MessageBody: "batch")]), other)
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { _ = try await h.receive(url, in: other) }
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { try await h.send(url, "x", in: stranger) }
        // Owner-only operations stay owner-only.
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") {
            _ = try await h.engine.deleteQueue(DeleteQueueRequest(QueueUrl: url), other)
        }
        #expect(try await h.receive(url, max: 10).count == 2)
    }

    @Test func permissionLabelsAndLimits() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("q")
        let add = { (label: String, accounts: [String], actions: [String]) in
            _ = try await h.engine.addPermission(AddPermissionRequest(QueueUrl: url, Label: label, AWSAccountIds: accounts,
                                                                      Actions: actions), ctx)
        }
        try await add("one", ["111111111111", "222222222222"], ["SendMessage", "ReceiveMessage"])
        await expectSQSError("InvalidParameterValue", message: "Value one for parameter Label is invalid. Reason: Already exists.") {
            try await add("one", ["111111111111"], ["SendMessage"])
        }
        await expectSQSError("OverLimit", status: 403, message: "8 Actions were found, maximum allowed is 7.") {
            try await add("many", ["111111111111"], Array(repeating: "SendMessage", count: 8))
        }
        await expectSQSError("InvalidParameterValue") { try await add("bad", ["111111111111"], ["CreateQueue"]) }
        await expectSQSError("InvalidParameterValue") { try await add("bad", ["nope"], ["SendMessage"]) }
        _ = try await h.receive(url, in: stranger)

        await expectSQSError("InvalidParameterValue", message: "Value two for parameter Label is invalid. Reason: can't find label.") {
            _ = try await h.engine.removePermission(RemovePermissionRequest(QueueUrl: url, Label: "two"), ctx)
        }
        _ = try await h.engine.removePermission(RemovePermissionRequest(QueueUrl: url, Label: "one"), ctx)
        // Removing the last statement removes the attribute, and the grant with it.
        #expect(try await h.attributes(url, ["Policy"])["Policy"] == nil)
        await expectSQSError("AWS.SimpleQueueService.NonExistentQueue") { _ = try await h.receive(url, in: stranger) }
    }

    @Test func explicitDenyBindsTheOwnerToo() async throws {
        let h = try await Harness()
        let url = try await h.createQueue("q", ["Policy": #"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:PurgeQueue"}]}"#])
        await expectSQSError("AccessDenied", status: 403) {
            _ = try await h.engine.purgeQueue(PurgeQueueRequest(QueueUrl: url), ctx)
        }
        try await h.send(url, "still fine")
    }
}
