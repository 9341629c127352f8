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
        let lower = name.lowercased()
        return headers.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    public func header(_ name: String) -> String? { values(of: name).first }

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
