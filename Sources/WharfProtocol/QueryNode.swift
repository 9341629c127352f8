/// Query parameters arranged by their dotted names: `Attribute.1.Name=x` becomes
/// root → "Attribute" → "1" → "Name" (value x). A node may have both a value and children
/// (`Entries=` next to `…Entry.1.Id`), which is why value and children are separate.
struct QueryNode {
    var value: String?
    var children: [String: QueryNode] = [:]

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
        children[String(head), default: QueryNode()].insert(path.dropFirst(), value: value)
    }
}
