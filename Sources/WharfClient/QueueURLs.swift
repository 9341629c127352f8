import SQSModel

extension SQSClient {
    /// Every queue URL (with the prefix), fetched page by page as the loop consumes them:
    /// `for try await url in sqs.listQueues(prefix: "orders-") { ... }`.
    /// - Parameter pageSize: MaxResults of each ListQueues call (1...1000).
    public func listQueues(prefix: String? = nil, pageSize: Int = 1000) -> QueueURLs {
        QueueURLs(client: self, prefix: prefix, pageSize: pageSize)
    }
}

/// The queue URLs of `listQueues(prefix:pageSize:)`, following NextToken until it is absent.
public struct QueueURLs: AsyncSequence, Sendable {
    public typealias Element = String
    public typealias Failure = SQSClientError

    let client: SQSClient
    let prefix: String?
    let pageSize: Int

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(client: client, prefix: prefix, pageSize: pageSize)
    }

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let client: SQSClient
        let prefix: String?
        let pageSize: Int
        var buffer: [String] = []
        var nextToken: String?
        var finished = false

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(SQSClientError) -> String? {
            try await next()
        }

        public mutating func next() async throws(SQSClientError) -> String? {
            // A page may be empty yet carry a token: keep asking until a URL or the end.
            while buffer.isEmpty && !finished {
                let page = try await client.listQueues(ListQueuesRequest(
                    QueueNamePrefix: prefix, NextToken: nextToken, MaxResults: pageSize))
                buffer = (page.QueueUrls ?? []).reversed()
                nextToken = page.NextToken
                finished = nextToken?.isEmpty ?? true
            }
            return buffer.popLast()
        }
    }
}
