import SQSModel

/// A dead-letter queue's `RedriveAllowPolicy`: which source queues may name it.
struct RedriveAllowPolicy: Sendable, Equatable {
    enum Permission: String { case allowAll, denyAll, byQueue }
    var permission: Permission
    var sourceQueueArns: [String]

    static let maxSourceQueues = 10

    static func parse(_ text: String) throws(SQSError) -> RedriveAllowPolicy {
        func invalid(_ reason: String) -> SQSError {
            .invalidParameterValue(value: text, parameter: "RedriveAllowPolicy", reason: reason)
        }
        guard let object = JSONObject.parse(text) else { throw invalid("Redrive allow policy is not a valid JSON map.") }
        guard let raw = object["redrivePermission"] as? String, let permission = Permission(rawValue: raw) else {
            throw invalid("redrivePermission must be one of allowAll, denyAll or byQueue.")
        }
        let arns: [String]
        switch object["sourceQueueArns"] {
        case nil: arns = []
        case let list as [Any]:
            guard let strings = list as? [String] else { throw invalid("sourceQueueArns must be a list of queue ARNs.") }
            arns = strings
        default: throw invalid("sourceQueueArns must be a list of queue ARNs.")
        }
        if permission != .byQueue && !arns.isEmpty {
            throw invalid("sourceQueueArns can be specified only when redrivePermission is byQueue.")
        }
        if permission == .byQueue && arns.isEmpty {
            throw invalid("sourceQueueArns must be specified when redrivePermission is byQueue.")
        }
        if arns.count > maxSourceQueues {
            throw invalid("Amazon SQS supports a maximum of \(maxSourceQueues) source queue ARNs. You have specified \(arns.count).")
        }
        return RedriveAllowPolicy(permission: permission, sourceQueueArns: arns)
    }

    func allows(sourceArn: String) -> Bool {
        switch permission {
        case .allowAll: true
        case .denyAll: false
        case .byQueue: sourceQueueArns.contains(sourceArn)
        }
    }

    var json: String {
        var text = "{\"redrivePermission\":\"\(permission.rawValue)\""
        if permission == .byQueue {
            text += ",\"sourceQueueArns\":[" + sourceQueueArns.map { "\"\($0.jsonEscaped)\"" }.joined(separator: ",") + "]"
        }
        return text + "}"
    }
}
