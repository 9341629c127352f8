import Foundation
import SQSModel

/// Turns flattened Query parameters into the JSON-shaped tree of the typed request, then
/// decodes it through `JSONRequestDecoder` so both protocols share the Codable models and the
/// same missing-member errors. Query is the less hot path, so the JSON hop is acceptable.
enum QueryRequestDecoder {
    static func decode<R: SQSRequest>(_ type: R.Type, from parameters: [String: String]) throws(SQSError) -> R {
        let root = QueryNode(parameters: parameters)
        var members = try structure(root, members: QueryShape.request(for: R.operation), path: "")
        // No entries at all is an empty batch, which the engine answers with EmptyBatchRequest.
        switch R.operation {
        case .sendMessageBatch, .deleteMessageBatch, .changeMessageVisibilityBatch:
            if members["Entries"] == nil { members["Entries"] = .list([]) }
        default:
            break
        }
        let json: Data
        do {
            json = try JSONEncoder().encode(QueryValue.object(members))
        } catch {
            throw SQSError.internalError("Could not re-encode the Query parameters: \(error)")
        }
        return try JSONRequestDecoder.decode(type, from: [UInt8](json))
    }

    /// Converts a node against a shape. `path` is the Query name so far, for error messages.
    static func convert(_ node: QueryNode, as shape: QueryShape, path: String) throws(SQSError) -> QueryValue? {
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
            var items: [QueryValue] = []
            for (index, child) in try indexed(node, path: path) {
                if let item = try convert(child, as: element, path: "\(path).\(index)") { items.append(item) }
            }
            return .list(items)
        case .map(let keyName, let valueName, let valueShape):
            var object: [String: QueryValue] = [:]
            for (index, entry) in try indexed(node, path: path) {
                let entryPath = "\(path).\(index)"
                guard let key = entry.children[keyName]?.value else {
                    throw SQSError.missingParameter("\(entryPath).\(keyName)")
                }
                let valueNode = entry.children[valueName] ?? QueryNode()
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
    private static func structure(_ node: QueryNode, members: [String: QueryMember],
                                  path: String) throws(SQSError) -> [String: QueryValue] {
        let collectionNames = Set(members.values.map(\.jsonName))
        var object: [String: QueryValue] = [:]
        var emptyCollections: [String: QueryValue] = [:]
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
                object[name] = QueryShape.integerMembers.contains(name) ? try integer(raw, name: childPath) : .string(raw)
            }
        }
        // Real members win over the empty-list marker.
        object.merge(emptyCollections) { real, _ in real }
        return object
    }

    /// Children whose names are positive integers, ordered numerically (10 after 9).
    private static func indexed(_ node: QueryNode, path: String) throws(SQSError) -> [(Int, QueryNode)] {
        var result: [(Int, QueryNode)] = []
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

    private static func integer(_ raw: String, name: String) throws(SQSError) -> QueryValue {
        guard let n = Int(raw) else {
            throw SQSError.invalidParameterValue(value: raw, parameter: name, reason: "Must be an integer.")
        }
        return .integer(n)
    }

    private static func empty(_ shape: QueryShape) -> QueryValue? {
        switch shape {
        case .list: return .list([])
        case .map: return .object([:])
        default: return nil
        }
    }
}
