/// A response ready to be written by the HTTP layer. Headers carry Content-Type,
/// `x-amzn-RequestId` and, for errors, `x-amzn-query-error`; the server adds Content-Length.
public struct EncodedResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
