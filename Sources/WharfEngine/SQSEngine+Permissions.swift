import Foundation
import SQSModel

// AddPermission / RemovePermission: edit the queue's Policy as AWS does (docs/sqs-behaviour.md#permissions).
extension SQSEngine {
    static let maxActionsPerStatement = 7
    /// What AddPermission may grant; the batch variants come with their single-message action.
    static let grantable: Set<SQSOperation> = [.sendMessage, .receiveMessage, .deleteMessage, .changeMessageVisibility,
                                               .getQueueAttributes, .getQueueUrl, .listDeadLetterSourceQueues,
                                               .purgeQueue]

    public func addPermission(_ request: AddPermissionRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .addPermission)
        try admitGrowingWrite()
        let label = request.Label
        guard MessageRules.isValidBatchEntryId(label) else {
            throw .invalidParameterValue(value: label, parameter: "Label",
                                         reason: "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.")
        }
        if request.AWSAccountIds.isEmpty { throw .missingParameter("AWSAccountId") }
        if request.Actions.isEmpty { throw .missingParameter("ActionName") }
        if request.Actions.count > Self.maxActionsPerStatement {
            throw .overLimit("\(request.Actions.count) Actions were found, maximum allowed is \(Self.maxActionsPerStatement).")
        }
        for action in request.Actions where action != "*" {
            guard let operation = SQSOperation(rawValue: action), Self.grantable.contains(operation) else {
                throw .invalidParameterValue(value: action, parameter: "ActionName",
                                             reason: "Please refer to the appropriate WSDL for a list of valid actions.")
            }
        }
        for account in request.AWSAccountIds where !(account.count == 12 && account.allSatisfy(\.isNumber)) {
            throw .invalidParameterValue(value: account, parameter: "PrincipalId", reason: "Unable to verify.")
        }
        let arn = queue.key.arn
        let principals = request.AWSAccountIds.map { "arn:aws:iam::\($0):root" }
        let actions = request.Actions.map { "SQS:\($0)" }
        try await modifyQueue(queue.key) { queue in
            var document = Self.policyDocument(queue.attributes["Policy"], arn: arn)
            var statements = document["Statement"] as? [[String: Any]] ?? []
            if statements.contains(where: { $0["Sid"] as? String == label }) {
                throw SQSError.invalidParameterValue(value: label, parameter: "Label", reason: "Already exists.")
            }
            // One element is a string, several are a list: the shape AWS writes.
            statements.append([
                "Sid": label, "Effect": "Allow",
                "Principal": ["AWS": principals.count == 1 ? principals[0] as Any : principals as Any],
                "Action": actions.count == 1 ? actions[0] as Any : actions as Any,
                "Resource": arn,
            ])
            document["Statement"] = statements
            queue.attributes["Policy"] = try Self.serialize(document)
        }
        return EmptyResponse()
    }

    public func removePermission(_ request: RemovePermissionRequest, _ ctx: CallContext) async throws(SQSError) -> EmptyResponse {
        let queue = try await resolveQueue(request.QueueUrl, ctx, for: .removePermission)
        let label = request.Label
        let arn = queue.key.arn
        try await modifyQueue(queue.key) { queue in
            var document = Self.policyDocument(queue.attributes["Policy"], arn: arn)
            var statements = document["Statement"] as? [[String: Any]] ?? []
            guard let index = statements.firstIndex(where: { $0["Sid"] as? String == label }) else {
                throw SQSError.invalidParameterValue(value: label, parameter: "Label", reason: "can't find label.")
            }
            statements.remove(at: index)
            if statements.isEmpty {
                // Removing the last statement removes the attribute.
                queue.attributes["Policy"] = nil
            } else {
                document["Statement"] = statements
                queue.attributes["Policy"] = try Self.serialize(document)
            }
        }
        return EmptyResponse()
    }

    private static func policyDocument(_ text: String?, arn: String) -> [String: Any] {
        if let text, let data = text.data(using: .utf8),
           var document = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            if let one = document["Statement"] as? [String: Any] { document["Statement"] = [one] }
            return document
        }
        return ["Version": "2008-10-17", "Id": "\(arn)/SQSDefaultPolicy", "Statement": [[String: Any]]()]
    }

    private static func serialize(_ document: [String: Any]) throws(SQSError) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw .internalError("We encountered an internal error. Please try again.")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
