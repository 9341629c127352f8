import Foundation
import SQSModel

/// A queue's `RedrivePolicy`: where messages go after `maxReceiveCount` receives.
public struct RedrivePolicy: Sendable, Equatable {
    public var deadLetterTargetArn: String
    public var maxReceiveCount: Int

    /// Accepts what AWS accepts: `maxReceiveCount` as a number or a numeric string.
    static func parse(_ text: String) throws(SQSError) -> RedrivePolicy {
        func invalid(_ reason: String) -> SQSError {
            .invalidParameterValue(value: text, parameter: "RedrivePolicy", reason: reason)
        }
        guard JSONObject.parse(text) != nil,
              let raw = try? JSONDecoder().decode(Raw.self, from: Data(text.utf8)) else {
            throw invalid("Redrive policy is not a valid JSON map.")
        }
        guard let arn = raw.deadLetterTargetArn, !arn.isEmpty else {
            throw invalid("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")
        }
        guard let given = raw.maxReceiveCount else {
            throw invalid("Redrive policy does not contain mandatory attribute: maxReceiveCount.")
        }
        guard case .valid(let count) = given, (1...1000).contains(count) else {
            throw invalid("Invalid value for maxReceiveCount: \(given), valid values are from 1 to 1000 both inclusive.")
        }
        return RedrivePolicy(deadLetterTargetArn: arn, maxReceiveCount: count)
    }

    private struct Raw: Decodable {
        var deadLetterTargetArn: String?
        var maxReceiveCount: Count?
    }

    /// `maxReceiveCount` as AWS takes it: a JSON integer or a numeric string.
    private enum Count: Decodable, CustomStringConvertible {
        case valid(Int)
        case invalid(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                self = .valid(number)
            } else if let text = try? container.decode(String.self) {
                self = Int(text).map(Count.valid) ?? .invalid(text)
            } else {
                self = .invalid("non-integer")
            }
        }

        var description: String {
            switch self { case .valid(let n): String(n); case .invalid(let text): text }
        }
    }

    /// The canonical form, as AWS returns it.
    var json: String {
        "{\"deadLetterTargetArn\":\"\(deadLetterTargetArn.jsonEscaped)\",\"maxReceiveCount\":\(maxReceiveCount)}"
    }
}

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

/// `JSONSerialization` for a top-level object, nil for anything else.
enum JSONObject {
    static func parse(_ text: String) -> [String: Any]? {
        guard let data = text.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

extension String {
    /// Escaped for a JSON string literal (quotes, backslashes and control characters).
    var jsonEscaped: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A queue ARN, `arn:<partition>:sqs:<region>:<account>:<name>`.
struct QueueArn {
    var key: QueueKey

    init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", !parts[3].isEmpty, !parts[4].isEmpty,
              !parts[5].isEmpty else { return nil }
        key = QueueKey(account: String(parts[4]), region: String(parts[3]), name: String(parts[5]))
    }
}
