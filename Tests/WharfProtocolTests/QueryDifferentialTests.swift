import Foundation
import SQSModel
import Testing
@testable import WharfProtocol

/// The new Query decoder against the old one (Query → JSON → JSONDecoder, in
/// LegacyQueryDecoder.swift) over random parameter sets: outcomes must be identical (the value,
/// or the SQSError). Which of several errors a request has is reported depends on dictionary
/// order, so this runs only with SWIFT_DETERMINISTIC_HASHING=1 (QSEED, QCOUNT choose the cases).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SWIFT_DETERMINISTIC_HASHING"] != nil))
struct QueryDifferentialTests {
    static let tops = ["QueueUrl", "QueueName", "MessageBody", "DelaySeconds", "MaxNumberOfMessages", "VisibilityTimeout",
                       "WaitTimeSeconds", "ReceiptHandle", "Label", "Attribute", "AttributeName", "AttributeNames", "Attributes",
                       "MessageAttribute", "MessageAttributes", "MessageSystemAttribute", "MessageSystemAttributes",
                       "MessageSystemAttributeName", "MessageSystemAttributeNames", "MessageAttributeName", "MessageAttributeNames",
                       "Tag", "Tags", "tags", "TagKey", "TagKeys", "AWSAccountId", "AWSAccountIds", "ActionName", "Actions",
                       "Entries", "SendMessageBatchRequestEntry", "DeleteMessageBatchRequestEntry",
                       "ChangeMessageVisibilityBatchRequestEntry", "SourceArn", "DestinationArn", "TaskHandle", "MaxResults",
                       "MaxNumberOfMessagesPerSecond", "MessageGroupId", "MessageDeduplicationId", "NextToken", "QueueNamePrefix",
                       "QueueOwnerAWSAccountId", "ReceiveRequestAttemptId", "Version", "Foo"]
    static let subs = ["Name", "Value", "Key", "DataType", "StringValue", "BinaryValue", "StringListValue", "BinaryListValue",
                       "StringListValues", "BinaryListValues", "Id", "MessageBody", "ReceiptHandle", "VisibilityTimeout",
                       "DelaySeconds", "MessageGroupId", "MessageAttribute", "MessageSystemAttribute", "MessageAttributes", "x"]
    static let indexes = ["1", "2", "3", "10", "1", "2", "1", "2", "1", "2", "3", "1", "2", "0", "x", "", "01", "+1", "-1", "٣"]
    static let values = ["", "x", "5", "0", "abc", "AAEC", "!!", "-1", "99999999999999999999", "All", "String", "Binary",
                         "Number", "AA==", "A", "q"]

    struct RNG: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static func randomName(_ rng: inout RNG) -> String {
        var parts = [tops.randomElement(using: &rng)!]
        let depth = Int.random(in: 0...6, using: &rng)
        for _ in 0..<depth {
            parts.append(Bool.random(using: &rng) ? indexes.randomElement(using: &rng)! : subs.randomElement(using: &rng)!)
        }
        return parts.joined(separator: ".")
    }

    /// A plausible request of the operation, perturbed.
    static func parameters(_ op: SQSOperation, _ rng: inout RNG) -> [String: String] {
        var p: [String: String] = [:]
        let base: [String] = {
            switch op {
            case .sendMessage: ["QueueUrl=q", "MessageBody=b", "MessageAttribute.1.Name=a", "MessageAttribute.1.Value.DataType=String",
                                "MessageAttribute.1.Value.StringValue=v", "MessageAttribute.2.Name=b",
                                "MessageAttribute.2.Value.DataType=Binary", "MessageAttribute.2.Value.BinaryValue=AAEC",
                                "MessageAttribute.2.Value.BinaryListValue.1=AAEC", "MessageAttribute.2.Value.StringListValue.1=s",
                                "MessageSystemAttribute.1.Name=AWSTraceHeader", "MessageSystemAttribute.1.Value.DataType=String",
                                "MessageSystemAttribute.1.Value.StringValue=t", "DelaySeconds=3"]
            case .sendMessageBatch: ["QueueUrl=q", "SendMessageBatchRequestEntry.1.Id=a", "SendMessageBatchRequestEntry.1.MessageBody=b",
                                     "SendMessageBatchRequestEntry.2.Id=c", "SendMessageBatchRequestEntry.2.MessageBody=d",
                                     "SendMessageBatchRequestEntry.2.DelaySeconds=4",
                                     "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=n",
                                     "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=Binary",
                                     "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.BinaryValue=AAEC"]
            case .deleteMessageBatch: ["QueueUrl=q", "DeleteMessageBatchRequestEntry.1.Id=a", "DeleteMessageBatchRequestEntry.1.ReceiptHandle=r"]
            case .changeMessageVisibilityBatch: ["QueueUrl=q", "ChangeMessageVisibilityBatchRequestEntry.1.Id=a",
                                                 "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=r",
                                                 "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=5"]
            case .receiveMessage: ["QueueUrl=q", "AttributeName.1=All", "MessageAttributeName.1=All", "MessageSystemAttributeName.1=SenderId",
                                   "MaxNumberOfMessages=2", "WaitTimeSeconds=1", "VisibilityTimeout=3"]
            case .createQueue: ["QueueName=q", "Attribute.1.Name=DelaySeconds", "Attribute.1.Value=1", "Tag.1.Key=k", "Tag.1.Value=v"]
            case .setQueueAttributes: ["QueueUrl=q", "Attribute.1.Name=DelaySeconds", "Attribute.1.Value=1"]
            case .tagQueue: ["QueueUrl=q", "Tag.1.Key=k", "Tag.1.Value=v"]
            case .untagQueue: ["QueueUrl=q", "TagKey.1=k"]
            case .addPermission: ["QueueUrl=q", "Label=l", "AWSAccountId.1=1", "ActionName.1=SendMessage"]
            case .getQueueAttributes: ["QueueUrl=q", "AttributeName.1=All"]
            case .changeMessageVisibility: ["QueueUrl=q", "ReceiptHandle=r", "VisibilityTimeout=4"]
            case .deleteMessage, .removePermission: ["QueueUrl=q", "ReceiptHandle=r", "Label=l"]
            case .startMessageMoveTask, .listMessageMoveTasks: ["SourceArn=s", "MaxResults=2", "MaxNumberOfMessagesPerSecond=3"]
            case .cancelMessageMoveTask: ["TaskHandle=t"]
            case .getQueueUrl: ["QueueName=q"]
            default: ["QueueUrl=q"]
            }
        }()
        for item in base where Int.random(in: 0..<8, using: &rng) != 0 {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            p[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            p[randomName(&rng)] = values.randomElement(using: &rng)!
        }
        return p
    }

    static func outcome<R: SQSRequest>(_ type: R.Type, _ p: [String: String], legacy: Bool) -> String {
        do {
            var tree = QueryNode()
            for (name, value) in p { tree.insert(name[...], value: value) }
            let r = legacy ? try LegacyQueryRequestDecoder.decode(type, from: p) : try QueryRequestDecoder.decode(type, from: tree)
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            return "ok " + String(decoding: try! e.encode(r), as: UTF8.self)
        } catch {
            return "error \(error.code) \(error.queryCode) \(error.message)"
        }
    }

    static func compare(_ op: SQSOperation, _ p: [String: String]) -> (String, String) {
        // Which of several errors is thrown depends on dictionary order, which differs between
        // dictionary instances: the old decoder's possible outcomes are sampled.
        func run<R: SQSRequest>(_ t: R.Type) -> (String, String) {
            let new = outcome(t, p, legacy: false)
            var olds = Set<String>()
            for _ in 0..<(new.hasPrefix("ok") ? 1 : 24) {
                olds.insert(outcome(t, p, legacy: true))
                if olds.contains(new) { return (new, new) }
            }
            return (olds.sorted().joined(separator: " | "), new)
        }
        switch op {
        case .addPermission: return run(AddPermissionRequest.self)
        case .cancelMessageMoveTask: return run(CancelMessageMoveTaskRequest.self)
        case .changeMessageVisibility: return run(ChangeMessageVisibilityRequest.self)
        case .changeMessageVisibilityBatch: return run(ChangeMessageVisibilityBatchRequest.self)
        case .createQueue: return run(CreateQueueRequest.self)
        case .deleteMessage: return run(DeleteMessageRequest.self)
        case .deleteMessageBatch: return run(DeleteMessageBatchRequest.self)
        case .deleteQueue: return run(DeleteQueueRequest.self)
        case .getQueueAttributes: return run(GetQueueAttributesRequest.self)
        case .getQueueUrl: return run(GetQueueUrlRequest.self)
        case .listDeadLetterSourceQueues: return run(ListDeadLetterSourceQueuesRequest.self)
        case .listMessageMoveTasks: return run(ListMessageMoveTasksRequest.self)
        case .listQueueTags: return run(ListQueueTagsRequest.self)
        case .listQueues: return run(ListQueuesRequest.self)
        case .purgeQueue: return run(PurgeQueueRequest.self)
        case .receiveMessage: return run(ReceiveMessageRequest.self)
        case .removePermission: return run(RemovePermissionRequest.self)
        case .sendMessage: return run(SendMessageRequest.self)
        case .sendMessageBatch: return run(SendMessageBatchRequest.self)
        case .setQueueAttributes: return run(SetQueueAttributesRequest.self)
        case .startMessageMoveTask: return run(StartMessageMoveTaskRequest.self)
        case .tagQueue: return run(TagQueueRequest.self)
        case .untagQueue: return run(UntagQueueRequest.self)
        }
    }

    @Test func agreesWithTheOldDecoder() {
        var rng = RNG(state: UInt64(ProcessInfo.processInfo.environment["QSEED"] ?? "1") ?? 1)
        let count = Int(ProcessInfo.processInfo.environment["QCOUNT"] ?? "") ?? 20000
        var failures = 0
        var kinds: [String: Int] = [:]
        var binaryOK = 0
        var batchOK = 0
        for _ in 0..<count {
            let op = SQSOperation.allCases.randomElement(using: &rng)!
            let p = Self.parameters(op, &rng)
            let (old, new) = Self.compare(op, p)
            kinds[String(old.prefix(while: { $0 != " " })) + " " + String(old.split(separator: " ").dropFirst().first ?? ""), default: 0] += 1
            if new.hasPrefix("ok") && new.contains("BinaryValue") { binaryOK += 1 }
            if new.hasPrefix("ok") && new.contains("\"Entries\":[{") { batchOK += 1 }
            if old != new {
                failures += 1
                if failures <= 10 { Issue.record("\(op) \(p.sorted { $0.key < $1.key })\nold: \(old)\nnew: \(new)") }
            }
        }
        print("differential outcomes:", kinds.count, "kinds; ok with a binary value:", binaryOK, "ok batches with entries:", batchOK)
        #expect(failures == 0)
    }
}

extension QueryDifferentialTests {
    static func flatten(_ node: QueryNode, _ prefix: String?, into result: inout [String: String]) {
        if let prefix, let value = node.value { result[prefix] = value }
        for (name, child) in node.children { flatten(child, prefix.map { "\($0).\(name)" } ?? name, into: &result) }
    }

    @Test func formDecoderAgrees() {
        var rng = RNG(state: 42)
        let alphabet = Array("ab.=&+%2E%41%e2%9c%93%C3%28%zz%4%%FF1".utf8) + [0xFF, 0xC3, 0x28, 0x2E, 0x3D, 0x26]
        var failures = 0
        for _ in 0..<200_000 {
            let bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let old: String
            do { old = "ok \(try LegacyFormDecoder.decode(bytes).sorted { $0.key < $1.key })" } catch { old = "error \(error)" }
            let new: String
            do {
                var tree = QueryNode()
                try FormDecoder.decode(bytes, into: &tree)
                var flat: [String: String] = [:]
                Self.flatten(tree, nil, into: &flat)
                new = "ok \(flat.sorted { $0.key < $1.key })"
            } catch { new = "error \(error)" }
            if old != new {
                failures += 1
                if failures < 5 { Issue.record("\(bytes): \(old) vs \(new)") }
            }
        }
        #expect(failures == 0)
    }
}
