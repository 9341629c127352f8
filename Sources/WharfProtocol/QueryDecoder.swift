import Foundation
import SQSModel

/// A `Swift.Decoder` over the Query parameter tree: the typed request's Codable init reads its
/// members straight from the nodes, found by the operation's shape (docs/sqs-behaviour.md#query-parameters).
/// The tree was checked first (`QueryNode.check`), so reading fails only where a member is
/// missing or of another type, with the `DecodingError` JSONDecoder throws for the same
/// request in JSON (`JSONRequestDecoder.map` turns both into the same SQSError).
struct QueryDecoder: Decoder, SingleValueDecodingContainer {
    let node: QueryNode
    /// How `node` reads: a scalar, a collection or a structure.
    let shape: QueryShape
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch shape {
        case .structure(let structure):
            return KeyedDecodingContainer(QueryKeyedContainer<Key>(decoder: self, source: .structure(structure)))
        case .map(let keyName, let valueName, let valueShape):
            // Entries in index order: a later entry with the same key wins.
            var values: [String: QueryNode] = [:]
            for (_, position) in node.indexed() {
                let entry = node.children.values[position]
                guard let key = entry.children[keyName]?.value else { continue }
                values[key] = entry.children[valueName] ?? QueryNode()
            }
            return KeyedDecodingContainer(QueryKeyedContainer<Key>(decoder: self, source: .map(values, valueShape)))
        default:
            throw mismatch([String: Any].self)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .list(let element) = shape else { throw mismatch([Any].self) }
        var items: [QueryNode] = []
        items.reserveCapacity(node.children.count)
        for (_, position) in node.indexed() {
            let item = node.children.values[position]
            // A scalar item without a value (`AttributeName.1.x=…`) is no item.
            if !element.isScalar || item.value != nil { items.append(item) }
        }
        return QueryListContainer(decoder: self, element: element, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The decoder of a member, an item or a map value.
    func child(_ node: QueryNode, _ shape: QueryShape, key: any CodingKey) -> QueryDecoder {
        QueryDecoder(node: node, shape: shape, codingPath: codingPath + [key])
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: codingPath, debugDescription: "Query parameter of another type"))
    }

    // MARK: the scalars

    func decodeNil() -> Bool { false }

    func decode(_ type: String.Type) throws -> String {
        switch shape {
        case .string, .blob: if let value = node.value { return value }
        default: break
        }
        throw mismatch(type)
    }

    func decode(_ type: Int.Type) throws -> Int {
        guard case .integer = shape, let raw = node.value, let n = Int(raw) else { throw mismatch(type) }
        return n
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == String.self { return try decode(String.self) as! T }
        if type == Int.self { return try decode(Int.self) as! T }
        if type == Data.self {
            guard case .blob = shape, let bytes = node.bytes else { throw mismatch(type) }
            return bytes as! T
        }
        return try T(from: self)
    }

    // No SQS request member has these types.
    func decode(_ type: Bool.Type) throws -> Bool { throw mismatch(type) }
    func decode(_ type: Double.Type) throws -> Double { throw mismatch(type) }
    func decode(_ type: Float.Type) throws -> Float { throw mismatch(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { throw mismatch(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { throw mismatch(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { throw mismatch(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { throw mismatch(type) }
    func decode(_ type: UInt.Type) throws -> UInt { throw mismatch(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { throw mismatch(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { throw mismatch(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { throw mismatch(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { throw mismatch(type) }
}

/// A structure's members, or a map's entries, by their JSON names.
struct QueryKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    enum Source {
        case structure(QueryStructure)
        case map([String: QueryNode], QueryShape)
    }

    let decoder: QueryDecoder
    let source: Source
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        switch source {
        case .structure(let structure):
            let names = Set(structure.queryNames.keys).union(decoder.node.children.keys)
            return names.compactMap { Key(stringValue: $0) }.filter { lookup($0) != nil }
        case .map(let values, _):
            return values.keys.compactMap { Key(stringValue: $0) }
        }
    }

    /// The member under `key`, or nil when the request does not have it. A collection member
    /// given as the bare name with an empty value (`Entries=`, as botocore writes an empty list),
    /// under its Query or its JSON name, is an empty collection; given as a bare non-empty value
    /// (`AttributeName=All`, which no client sends) it is ignored like any unknown parameter.
    func lookup(_ key: Key) -> QueryDecoder? {
        let name = key.stringValue
        let node = decoder.node
        switch source {
        case .map(let values, let valueShape):
            return values[name].map { decoder.child($0, valueShape, key: key) }
        case .structure(let structure):
            guard let queryName = structure.queryNames[name], let member = structure.members[queryName] else {
                // A plain leaf under its own name: a scalar. (Query names of members are not JSON names.)
                guard structure.members[name] == nil, let child = node.children[name], child.children.isEmpty,
                      child.value != nil else { return nil }
                return decoder.child(child, QueryShape.integerMembers.contains(name) ? .integer : .string, key: key)
            }
            if let child = node.children[queryName] {
                switch member.shape {
                case .string, .integer, .blob:
                    return child.value == nil ? nil : decoder.child(child, member.shape, key: key)
                case .structure:
                    return decoder.child(child, member.shape, key: key)
                case .list, .map:
                    if !child.children.isEmpty { return decoder.child(child, member.shape, key: key) }
                    if child.value == "" { return decoder.child(QueryNode(), member.shape, key: key) }
                }
            }
            if member.shape.isCollection, queryName != name, node.children[name]?.value == "" {
                return decoder.child(QueryNode(), member.shape, key: key)
            }
            return member.emptyWhenAbsent ? decoder.child(QueryNode(), member.shape, key: key) : nil
        }
    }

    private func required(_ key: Key) throws -> QueryDecoder {
        guard let member = lookup(key) else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath, debugDescription: "missing"))
        }
        return member
    }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { _ = try required(key); return false }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try lookup(key)?.decode(type) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try lookup(key)?.decode(type) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try lookup(key)?.decode(type) }

    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(key).decode(type) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try required(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try required(key).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try required(key) }
}

/// A list's items in index order.
struct QueryListContainer: UnkeyedDecodingContainer {
    let decoder: QueryDecoder
    let element: QueryShape
    let items: [QueryNode]
    private(set) var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(decoder: QueryDecoder, element: QueryShape, items: [QueryNode]) {
        self.decoder = decoder
        self.element = element
        self.items = items
    }

    /// JSONDecoder's key for an array element, so paths render as `[0]`.
    private struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { "Index \(intValue!)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    private mutating func next(_ type: Any.Type) throws -> QueryDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, DecodingError.Context(codingPath: codingPath, debugDescription: "at end"))
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], element, key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode(_ type: String.Type) throws -> String { try next(type).decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type).decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decode(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type).decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type).decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type).decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type).decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type).decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type).decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type).decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type).decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type).decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type).decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type).decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type).decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(type).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next([Any].self).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
}
