/// A request target split as Hummingbird's `URI` did for origin-form targets: the path up to
/// `?` (raw, not percent-decoded, as SigV4 signs it) and the query up to `#`. An absolute-form
/// target's scheme and authority are skipped.
enum RequestTarget {
    static func split(_ target: String) -> (path: String, query: String?) {
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest[(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)...]
        }
        guard let mark = rest.firstIndex(of: "?") else { return (rest.isEmpty ? "/" : String(rest), nil) }
        let path = rest[..<mark]
        let query = rest[rest.index(after: mark)...].prefix { $0 != "#" }
        return (path.isEmpty ? "/" : String(path), String(query))
    }
}
