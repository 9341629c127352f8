import Foundation
import SQSModel
@testable import WharfProtocol

/// Query parameters arranged by their dotted names: `Attribute.1.Name=x` becomes
/// root → "Attribute" → "1" → "Name" (value x). A node may have both a value and children
/// (`Entries=` next to `…Entry.1.Id`), which is why value and children are separate.
struct LegacyQueryNode {
    var value: String?
    var children: [String: LegacyQueryNode] = [:]

    init(value: String? = nil) { self.value = value }

    init(parameters: [String: String]) {
        for (name, value) in parameters {
            insert(name.split(separator: ".", omittingEmptySubsequences: false)[...], value: value)
        }
    }

    private mutating func insert(_ path: ArraySlice<Substring>, value: String) {
        guard let head = path.first else {
            self.value = value
            return
        }
        children[String(head), default: LegacyQueryNode()].insert(path.dropFirst(), value: value)
    }
}
/// A JSON-compatible value built from Query parameters, encoded to JSON and then decoded by the
/// same JSONDecoder path as the JSON protocol, so both protocols share one set of Codable types.
enum LegacyQueryValue: Encodable {
    case string(String)
    case integer(Int)
    case list([LegacyQueryValue])
    case object([String: LegacyQueryValue])

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .integer(let n):
            var c = encoder.singleValueContainer()
            try c.encode(n)
        case .list(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .object(let members):
            var c = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in members { try c.encode(value, forKey: MemberKey(key)) }
        }
    }

    private struct MemberKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// How a Query parameter subtree maps onto a JSON member (docs/sqs-behaviour.md#query-parameters).
/// Only collections and typed leaves need describing: unknown plain leaves pass through as
/// scalars under their own name (scalars have the same name in both protocols).
indirect enum LegacyQueryShape: Sendable {
    case string
    case integer
    /// base64 text; checked here so a bad value is reported with its Query name.
    case blob
    /// `Prefix.N` (N from 1) → array.
    case list(LegacyQueryShape)
    /// `Prefix.N.<key>` / `Prefix.N.<value>` → object.
    case map(key: String, value: String, valueShape: LegacyQueryShape)
    /// Named members; leaves not listed pass through as scalars.
    case structure([String: LegacyQueryMember])

    /// Integer members in any request or entry; everything else scalar is a string.
    static let integerMembers: Set<String> = [
        "DelaySeconds", "MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds",
        "MaxResults", "MaxNumberOfMessagesPerSecond",
    ]

    static let messageAttributeValue = LegacyQueryShape.structure([
        "DataType": LegacyQueryMember("DataType", .string),
        "StringValue": LegacyQueryMember("StringValue", .string),
        "BinaryValue": LegacyQueryMember("BinaryValue", .blob),
        "StringListValue": LegacyQueryMember("StringListValues", .list(.string)),
        "BinaryListValue": LegacyQueryMember("BinaryListValues", .list(.blob)),
    ])

    static let messageAttributes = LegacyQueryShape.map(key: "Name", value: "Value", valueShape: messageAttributeValue)

    /// Batch entries of all three kinds; members irrelevant to a kind are ignored by its decoder.
    static let batchEntry = LegacyQueryShape.structure([
        "MessageAttribute": LegacyQueryMember("MessageAttributes", messageAttributes),
        "MessageSystemAttribute": LegacyQueryMember("MessageSystemAttributes", messageAttributes),
    ])

    /// The top-level shape of an operation's input.
    static func request(for operation: SQSOperation) -> [String: LegacyQueryMember] {
        let stringMap = LegacyQueryShape.map(key: "Name", value: "Value", valueShape: .string)
        let tagMap = LegacyQueryShape.map(key: "Key", value: "Value", valueShape: .string)
        var members: [String: LegacyQueryMember] = [
            "Attribute": LegacyQueryMember("Attributes", stringMap),
            "AttributeName": LegacyQueryMember("AttributeNames", .list(.string)),
            "MessageAttributeName": LegacyQueryMember("MessageAttributeNames", .list(.string)),
            "MessageAttribute": LegacyQueryMember("MessageAttributes", messageAttributes),
            "MessageSystemAttribute": LegacyQueryMember("MessageSystemAttributes", messageAttributes),
            "TagKey": LegacyQueryMember("TagKeys", .list(.string)),
            "AWSAccountId": LegacyQueryMember("AWSAccountIds", .list(.string)),
            "ActionName": LegacyQueryMember("Actions", .list(.string)),
            // CreateQueue's member is lower-case `tags`; TagQueue's is `Tags`.
            "Tag": LegacyQueryMember(operation == .createQueue ? "tags" : "Tags", tagMap),
        ]
        switch operation {
        case .receiveMessage:
            members["MessageSystemAttributeName"] = LegacyQueryMember("MessageSystemAttributeNames", .list(.string))
        case .sendMessageBatch:
            members["SendMessageBatchRequestEntry"] = LegacyQueryMember("Entries", .list(batchEntry))
        case .deleteMessageBatch:
            members["DeleteMessageBatchRequestEntry"] = LegacyQueryMember("Entries", .list(batchEntry))
        case .changeMessageVisibilityBatch:
            members["ChangeMessageVisibilityBatchRequestEntry"] = LegacyQueryMember("Entries", .list(batchEntry))
        default:
            break
        }
        return members
    }
}

/// A Query name's JSON member name and shape.
struct LegacyQueryMember: Sendable {
    let jsonName: String
    let shape: LegacyQueryShape
    init(_ jsonName: String, _ shape: LegacyQueryShape) {
        self.jsonName = jsonName
        self.shape = shape
    }
}

/// Turns flattened Query parameters into the JSON-shaped tree of the typed request, then
/// decodes it through `JSONRequestDecoder` so both protocols share the Codable models and the
/// same missing-member errors. Query is the less hot path, so the JSON hop is acceptable.
enum LegacyQueryRequestDecoder {
    static func decode<R: SQSRequest>(_ type: R.Type, from parameters: [String: String]) throws(SQSError) -> R {
        let root = LegacyQueryNode(parameters: parameters)
        var members = try structure(root, members: LegacyQueryShape.request(for: R.operation), path: "")
        // No entries at all is an empty batch, which the engine answers with EmptyBatchRequest.
        switch R.operation {
        case .sendMessageBatch, .deleteMessageBatch, .changeMessageVisibilityBatch:
            if members["Entries"] == nil { members["Entries"] = .list([]) }
        default:
            break
        }
        let json: Data
        do {
            json = try JSONEncoder().encode(LegacyQueryValue.object(members))
        } catch {
            throw SQSError.internalError("Could not re-encode the Query parameters: \(error)")
        }
        return try JSONRequestDecoder.decode(type, from: [UInt8](json))
    }

    /// Converts a node against a shape. `path` is the Query name so far, for error messages.
    static func convert(_ node: LegacyQueryNode, as shape: LegacyQueryShape, path: String) throws(SQSError) -> LegacyQueryValue? {
        switch shape {
        case .string:
            return node.value.map { .string($0) }
        case .integer:
            guard let raw = node.value else { return nil }
            return try integer(raw, name: path)
        case .blob:
            guard let raw = node.value else { return nil }
            guard Data(base64Encoded: raw) != nil else {
                throw SQSError.invalidParameterValue(value: raw, parameter: path, reason: "Must be base64 encoded.")
            }
            return .string(raw)
        case .list(let element):
            var items: [LegacyQueryValue] = []
            for (index, child) in try indexed(node, path: path) {
                if let item = try convert(child, as: element, path: "\(path).\(index)") { items.append(item) }
            }
            return .list(items)
        case .map(let keyName, let valueName, let valueShape):
            var object: [String: LegacyQueryValue] = [:]
            for (index, entry) in try indexed(node, path: path) {
                let entryPath = "\(path).\(index)"
                guard let key = entry.children[keyName]?.value else {
                    throw SQSError.missingParameter("\(entryPath).\(keyName)")
                }
                let valueNode = entry.children[valueName] ?? LegacyQueryNode()
                let value = try convert(valueNode, as: valueShape, path: "\(entryPath).\(valueName)")
                guard let value else { throw SQSError.missingParameter("\(entryPath).\(valueName)") }
                object[key] = value
            }
            return .object(object)
        case .structure(let members):
            return .object(try structure(node, members: members, path: path))
        }
    }

    /// Known members by their Query names; other plain leaves pass through as scalars.
    private static func structure(_ node: LegacyQueryNode, members: [String: LegacyQueryMember],
                                  path: String) throws(SQSError) -> [String: LegacyQueryValue] {
        let collectionNames = Set(members.values.map(\.jsonName))
        var object: [String: LegacyQueryValue] = [:]
        var emptyCollections: [String: LegacyQueryValue] = [:]
        for (name, child) in node.children {
            let childPath = path.isEmpty ? name : "\(path).\(name)"
            if let member = members[name] {
                if !child.children.isEmpty {
                    if let value = try convert(child, as: member.shape, path: childPath) {
                        object[member.jsonName] = value
                    }
                } else if child.value == "", let empty = empty(member.shape) {
                    emptyCollections[member.jsonName] = empty
                } else if empty(member.shape) == nil, let value = try convert(child, as: member.shape, path: childPath) {
                    object[member.jsonName] = value
                }
                // A collection given as a bare non-empty value (`AttributeName=All`) is not a
                // Query shape any client sends; it is ignored like any unknown parameter.
            } else if collectionNames.contains(name) {
                // botocore writes an empty list as the bare member name: `Entries=`.
                if child.value == "", let shape = members.values.first(where: { $0.jsonName == name })?.shape,
                   let empty = empty(shape) {
                    emptyCollections[name] = empty
                }
            } else if child.children.isEmpty, let raw = child.value {
                object[name] = LegacyQueryShape.integerMembers.contains(name) ? try integer(raw, name: childPath) : .string(raw)
            }
        }
        // Real members win over the empty-list marker.
        object.merge(emptyCollections) { real, _ in real }
        return object
    }

    /// Children whose names are positive integers, ordered numerically (10 after 9).
    private static func indexed(_ node: LegacyQueryNode, path: String) throws(SQSError) -> [(Int, LegacyQueryNode)] {
        var result: [(Int, LegacyQueryNode)] = []
        result.reserveCapacity(node.children.count)
        for (name, child) in node.children {
            guard let index = Int(name), index >= 1, name.allSatisfy(\.isASCII) else {
                throw SQSError.malformedQueryString("Invalid index \"\(name)\" in parameter \(path).\(name).")
            }
            result.append((index, child))
        }
        result.sort { $0.0 < $1.0 }
        return result
    }

    private static func integer(_ raw: String, name: String) throws(SQSError) -> LegacyQueryValue {
        guard let n = Int(raw) else {
            throw SQSError.invalidParameterValue(value: raw, parameter: name, reason: "Must be an integer.")
        }
        return .integer(n)
    }

    private static func empty(_ shape: LegacyQueryShape) -> LegacyQueryValue? {
        switch shape {
        case .list: return .list([])
        case .map: return .object([:])
        default: return nil
        }
    }
}


/// `application/x-www-form-urlencoded` decoding, done on bytes so that malformed input is an
/// SQSError and never a crash or a silent replacement character.
enum LegacyFormDecoder {
    /// Decodes `a=1&b=2`; a later duplicate key wins, a key without `=` has the value "".
    static func decode(_ bytes: some Collection<UInt8>) throws(SQSError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let key: String
            let value: String
            if let eq = pair.firstIndex(of: UInt8(ascii: "=")) {
                key = try component(pair[pair.startIndex..<eq])
                value = try component(pair[pair.index(after: eq)...])
            } else {
                key = try component(pair)
                value = ""
            }
            result[key] = value
        }
        return result
    }

    /// '+' is a space (form rule), then %XX escapes, then strict UTF-8.
    static func component(_ bytes: some Collection<UInt8>) throws(SQSError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%") {
                let h = bytes.index(after: i)
                guard h != bytes.endIndex, let hi = hexValue(bytes[h]) else { throw invalidEscape() }
                let l = bytes.index(after: h)
                guard l != bytes.endIndex, let lo = hexValue(bytes[l]) else { throw invalidEscape() }
                out.append(hi << 4 | lo)
                i = l
            } else {
                out.append(b)
            }
            i = bytes.index(after: i)
        }
        guard let string = String(validating: out, as: UTF8.self) else {
            throw SQSError.malformedQueryString("The request parameters are not valid UTF-8.")
        }
        return string
    }

    private static func invalidEscape() -> SQSError {
        .malformedQueryString("The request parameters contain an invalid percent-encoding.")
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
