/// One file of the console, as the binary carries it.
public struct ConsoleAsset: Sendable {
    /// Under `/console/`: `index.html`, `pages/queue.js`.
    public let path: String
    public let contentType: String
    /// A strong validator of the bytes, computed when they were embedded.
    public let etag: String
    public let bytes: [UInt8]
}
