/// The parts of an HTTP request that SigV4 covers, exactly as they arrived: the raw
/// (still percent-encoded) path and query, every header, the raw body bytes. Never re-serialise
/// a body before verifying it: the signature is over the bytes the client sent.
public struct SignableRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String?
    /// Header names in any case; repeated headers appear more than once. Include `host`.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: String?, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method; self.path = path; self.query = query; self.headers = headers; self.body = body
    }

    /// All values of a header, by case-insensitive name.
    func values(of name: String) -> [String] {
        headers.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    public func header(_ name: String) -> String? { headers.first { Self.sameName($0.name, name) }?.value }

    /// Header names compare case-insensitively; they are ASCII tokens, so this needs no
    /// lower-cased copies (it runs for every header of every request).
    static func sameName(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.utf8, b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { c, d in
            c == d || (c | 0x20 == d | 0x20 && (0x61...0x7A).contains(c | 0x20))
        }
    }

    /// Query parameters, percent-decoded, in arrival order.
    var queryParameters: [(key: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Percent.decode(String(parts[0]))
            let value = parts.count > 1 ? Percent.decode(String(parts[1])) : ""
            return (key, value)
        }
    }
}
