/// What the console answers a request under `/console`: the server writes it as is.
public struct ConsoleReply: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
}
