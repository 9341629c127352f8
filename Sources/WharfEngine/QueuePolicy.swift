import Foundation
import SQSModel

/// A queue's `Policy` attribute: an IAM policy document that grants or denies other accounts
/// (and, with Deny, the owner too) access to the queue.
///
/// Supported: Effect Allow/Deny; Principal `*`, `{"AWS": …}` with account ids or
/// `arn:aws:iam::<account>:root` (strings or lists); Action `sqs:<Name>` / `*` with `*` and `?`
/// wildcards, case-insensitive; Resource ARNs with wildcards; Condition operators StringEquals,
/// StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike and
/// Bool on `aws:SourceAccount`, `aws:SourceArn`, `aws:SecureTransport`. A condition on an
/// unknown key or with an unknown operator never matches, so it can only narrow a grant.
public struct QueuePolicy: Sendable {
    public enum Decision: Sendable, Equatable { case allow, deny, noDecision }

    /// What the request carries that conditions can test.
    public struct Request: Sendable {
        public var account: String
        public var action: String
        public var resourceArn: String
        public var sourceArn: String?
        public var secureTransport: Bool
        public init(account: String, action: String, resourceArn: String, sourceArn: String? = nil,
                    secureTransport: Bool = false) {
            self.account = account; self.action = action; self.resourceArn = resourceArn
            self.sourceArn = sourceArn; self.secureTransport = secureTransport
        }
    }

    struct Statement {
        var sid: String?
        var allow: Bool
        var principals: [String]   // "*" or account ids
        var actions: [String]
        var resources: [String]
        var conditions: [(op: String, key: String, values: [String])]
    }

    let statements: [Statement]

    /// Parses and validates a policy; nil with a reason when it is not a valid document.
    public static func parse(_ text: String) throws(SQSError) -> QueuePolicy {
        let invalid = SQSError.invalidAttributeValue("Invalid value for the parameter Policy.")
        guard let data = text.data(using: .utf8),
              let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { throw invalid }
        let rawStatements: [[String: Any]]
        if let list = root["Statement"] as? [[String: Any]] { rawStatements = list }
        else if let one = root["Statement"] as? [String: Any] { rawStatements = [one] }
        else { throw invalid }
        var statements: [Statement] = []
        for raw in rawStatements {
            guard let effect = raw["Effect"] as? String, effect == "Allow" || effect == "Deny",
                  let actions = strings(raw["Action"]), !actions.isEmpty,
                  let principals = principals(raw["Principal"]) else { throw invalid }
            let resources = strings(raw["Resource"]) ?? ["*"]
            var conditions: [(String, String, [String])] = []
            if let block = raw["Condition"] {
                guard let operators = block as? [String: Any] else { throw invalid }
                for (op, body) in operators {
                    guard let pairs = body as? [String: Any] else { throw invalid }
                    for (key, value) in pairs {
                        guard let values = strings(value) else { throw invalid }
                        conditions.append((op, key.lowercased(), values))
                    }
                }
            }
            statements.append(Statement(sid: raw["Sid"] as? String, allow: effect == "Allow", principals: principals,
                                        actions: actions, resources: resources, conditions: conditions))
        }
        return QueuePolicy(statements: statements)
    }

    /// Explicit Deny wins over any Allow; no matching statement is no decision.
    public func evaluate(_ request: Request) -> Decision {
        var allowed = false
        for statement in statements where matches(statement, request) {
            if !statement.allow { return .deny }
            allowed = true
        }
        return allowed ? .allow : .noDecision
    }

    private func matches(_ s: Statement, _ r: Request) -> Bool {
        s.principals.contains { $0 == "*" || $0 == r.account }
            && s.actions.contains { Self.wildcard($0, matches: "sqs:" + r.action, caseInsensitive: true)
                                    || $0 == "*" }
            && s.resources.contains { Self.wildcard($0, matches: r.resourceArn, caseInsensitive: false) }
            && s.conditions.allSatisfy { Self.condition($0.op, $0.key, $0.values, r) }
    }

    private static func condition(_ op: String, _ key: String, _ values: [String], _ r: Request) -> Bool {
        let actual: String?
        switch key {
        case "aws:sourceaccount": actual = r.account
        case "aws:sourcearn": actual = r.sourceArn
        case "aws:securetransport": actual = r.secureTransport ? "true" : "false"
        default: return false
        }
        guard let actual else { return op.hasPrefix("StringNot") || op.hasPrefix("ArnNot") }
        switch op {
        case "StringEquals", "ArnEquals": return values.contains(actual)
        case "StringNotEquals", "ArnNotEquals": return !values.contains(actual)
        case "StringLike", "ArnLike": return values.contains { wildcard($0, matches: actual, caseInsensitive: false) }
        case "StringNotLike", "ArnNotLike": return !values.contains { wildcard($0, matches: actual, caseInsensitive: false) }
        case "Bool": return values.contains { $0.lowercased() == actual }
        default: return false
        }
    }

    static func strings(_ value: Any?) -> [String]? {
        if let one = value as? String { return [one] }
        if let list = value as? [String] { return list }
        return nil
    }

    /// `*` → everyone; account ids and `arn:aws:iam::<account>:root` → that account.
    static func principals(_ value: Any?) -> [String]? {
        if let star = value as? String { return star == "*" ? ["*"] : nil }
        guard let map = value as? [String: Any], let aws = strings(map["AWS"]) else { return nil }
        return aws.map { principal in
            if principal.hasPrefix("arn:aws:iam::") {
                let parts = principal.split(separator: ":", omittingEmptySubsequences: false)
                // Only the account root is an identity Wharf has; a user ARN names no caller.
                return parts.count == 6 && parts[5] == "root" ? String(parts[4]) : principal
            }
            return principal
        }
    }

    /// IAM wildcards: `*` any run, `?` one character.
    static func wildcard(_ pattern: String, matches text: String, caseInsensitive: Bool) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).utf8)
        let t = Array((caseInsensitive ? text.lowercased() : text).utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) { pi += 1; ti += 1 }
            else if pi < p.count && p[pi] == UInt8(ascii: "*") { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
