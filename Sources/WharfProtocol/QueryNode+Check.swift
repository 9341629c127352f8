import Foundation
import SQSModel

/// The checks of the whole parameter tree against the operation's shape, before anything is
/// decoded: a malformed index, integer, base64 blob or map entry is an error wherever it is,
/// also in a member the operation does not have, and before any missing member is reported.
/// Blobs are base64-decoded here, once, into `bytes`.
extension QueryNode {
    /// `path` is the Query name so far, for error messages.
    mutating func check(as shape: QueryShape, path: String) throws(SQSError) {
        switch shape {
        case .string:
            break
        case .integer:
            if let raw = value { _ = try Self.integer(raw, name: path) }
        case .blob:
            guard let raw = value else { return }
            guard let data = Data(base64Encoded: raw) else {
                throw SQSError.invalidParameterValue(value: raw, parameter: path, reason: "Must be base64 encoded.")
            }
            bytes = data
        case .list(let element):
            try checkIndexes(path: path)
            for (index, position) in indexed() {
                try children.values[position].check(as: element, path: "\(path).\(index)")
            }
        case .map(let keyName, let valueName, let valueShape):
            try checkIndexes(path: path)
            for (index, position) in indexed() {
                let entryPath = "\(path).\(index)"
                try children.values[position].checkMapEntry(key: keyName, value: valueName, valueShape, path: entryPath)
            }
        case .structure(let structure):
            var position = children.startIndex
            while position != children.endIndex {
                let name = children.keys[position]
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                try children.values[position].checkMember(name, of: structure, path: childPath)
                position = children.index(after: position)
            }
        }
    }

    /// Every child of a list or map is an index.
    private func checkIndexes(path: String) throws(SQSError) {
        for name in children.keys where Self.index(name) == nil {
            throw SQSError.malformedQueryString("Invalid index \"\(name)\" in parameter \(path).\(name).")
        }
    }

    /// A map entry has its key, and a value of its shape.
    private mutating func checkMapEntry(key keyName: String, value valueName: String, _ valueShape: QueryShape,
                                        path: String) throws(SQSError) {
        guard children[keyName]?.value != nil else { throw SQSError.missingParameter("\(path).\(keyName)") }
        if let position = children.index(forKey: valueName) {
            try children.values[position].check(as: valueShape, path: "\(path).\(valueName)")
        }
        // A plain value must be there; a structured one may be empty (its decoding then reports
        // what is missing).
        if valueShape.isScalar, children[valueName]?.value == nil {
            throw SQSError.missingParameter("\(path).\(valueName)")
        }
    }

    /// A member of a structure, by the rules `QueryDecoder` reads it with.
    private mutating func checkMember(_ name: String, of structure: QueryStructure, path: String) throws(SQSError) {
        if let member = structure.members[name] {
            if !children.isEmpty || !member.shape.isCollection {
                try check(as: member.shape, path: path)
            }
        } else if structure.queryNames[name] == nil, children.isEmpty, let raw = value,
                  QueryShape.integerMembers.contains(name) {
            _ = try Self.integer(raw, name: path)
        }
    }

    static func integer(_ raw: String, name: String) throws(SQSError) -> Int {
        guard let n = Int(raw) else {
            throw SQSError.invalidParameterValue(value: raw, parameter: name, reason: "Must be an integer.")
        }
        return n
    }
}
