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
