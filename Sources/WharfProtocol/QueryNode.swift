import Foundation

/// Query parameters arranged by their dotted names: `Attribute.1.Name=x` becomes
/// root → "Attribute" → "1" → "Name" (value x). A node may have both a value and children
/// (`Entries=` next to `…Entry.1.Id`), which is why value and children are separate.
struct QueryNode {
    var value: String?
    var children: [String: QueryNode] = [:]
    /// A blob's bytes: `value` base64-decoded, once, by `check(as:path:)`.
    var bytes: Data?

    init() {}

    /// Sets the parameter `name` (`Attribute.1.Name`), replacing an earlier value.
    mutating func insert(_ name: Substring, value: String) {
        guard let dot = name.utf8.firstIndex(of: UInt8(ascii: ".")) else {
            children[String(name), default: QueryNode()].value = value
            return
        }
        children[String(name[..<dot]), default: QueryNode()].insert(name[name.utf8.index(after: dot)...], value: value)
    }

    /// The children of a list or map node in index order (`10` after `9`), with their positions
    /// in `children`. Names that are not indexes are left out; `check` refuses them.
    func indexed() -> [(index: Int, position: Dictionary<String, QueryNode>.Index)] {
        var result: [(index: Int, position: Dictionary<String, QueryNode>.Index)] = []
        result.reserveCapacity(children.count)
        var position = children.startIndex
        while position != children.endIndex {
            if let index = Self.index(children.keys[position]) { result.append((index, position)) }
            position = children.index(after: position)
        }
        result.sort { $0.index < $1.index }
        return result
    }

    /// A list or map index: a positive integer in ASCII digits.
    static func index(_ name: String) -> Int? {
        guard let index = Int(name), index >= 1, name.allSatisfy(\.isASCII) else { return nil }
        return index
    }
}
