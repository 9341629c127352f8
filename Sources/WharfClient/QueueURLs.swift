import SQSModel

extension SQSClient {
    /// Every queue URL (of queues whose name starts with `prefix`), fetched page by page as
    /// the loop consumes them.
    ///
    /// ```swift
    /// for try await queueURL in sqs.listQueues(prefix: "orders-") { print(queueURL) }
    /// ```
    /// - Parameter pageSize: MaxResults of each ListQueues call (1...1000).
    public func listQueues(prefix: String? = nil, pageSize: Int = 1000) -> QueueURLs {
        QueueURLs { nextToken async throws(SQSClientError) in
            try await self.listQueuesPage(prefix: prefix, maxResults: pageSize, nextToken: nextToken)
        }
    }

    /// The queues whose `RedrivePolicy` names this one as their dead-letter queue.
    ///
    /// ```swift
    /// let sources = try await sqs.listDeadLetterSourceQueues(of: dlqURL).collect()
    /// ```
    public func listDeadLetterSourceQueues(of queueURL: String, pageSize: Int = 1000) -> QueueURLs {
        QueueURLs { nextToken async throws(SQSClientError) in
            let request = ListDeadLetterSourceQueuesRequest(QueueUrl: queueURL, NextToken: nextToken, MaxResults: pageSize)
            let page = try await self.perform(request, returning: ListDeadLetterSourceQueuesResponse.self)
            return QueueURLs.Page(urls: page.queueUrls, nextToken: page.NextToken)
        }
    }

    /// One ListQueues call: what `listQueues(prefix:pageSize:)` pages through.
    package func listQueuesPage(prefix: String?, maxResults: Int?,
                                nextToken: String? = nil) async throws(SQSClientError) -> QueueURLs.Page {
        let request = ListQueuesRequest(QueueNamePrefix: prefix, NextToken: nextToken, MaxResults: maxResults)
        let page = try await perform(request, returning: ListQueuesResponse.self)
        return QueueURLs.Page(urls: page.QueueUrls ?? [], nextToken: page.NextToken)
    }
}

/// Queue URLs fetched page by page, following the next-page token until there is none: what
/// `listQueues(prefix:pageSize:)` and `listDeadLetterSourceQueues(of:pageSize:)` return.
///
/// ```swift
/// var names: [String] = []
/// for try await queueURL in sqs.listQueues() { names.append(String(queueURL.split(separator: "/").last ?? "")) }
/// let orders = try await sqs.listQueues(prefix: "orders-").collect()
/// ```
public struct QueueURLs: AsyncSequence, Sendable {
    public typealias Element = String
    public typealias Failure = SQSClientError

    /// One page: its URLs and the token of the next (nil or empty on the last).
    package struct Page: Sendable {
        package var urls: [String]
        package var nextToken: String?
    }

    let fetch: @Sendable (_ nextToken: String?) async throws(SQSClientError) -> Page

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch)
    }

    /// Every URL of every page.
    public func collect() async throws(SQSClientError) -> [String] {
        var urls: [String] = []
        var iterator = makeAsyncIterator()
        while let url = try await iterator.next() { urls.append(url) }
        return urls
    }

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let fetch: @Sendable (_ nextToken: String?) async throws(SQSClientError) -> Page
        var buffer: [String] = []
        var nextToken: String?
        var finished = false

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(SQSClientError) -> String? {
            try await next()
        }

        public mutating func next() async throws(SQSClientError) -> String? {
            // A page may be empty yet carry a token: keep asking until a URL or the end.
            while buffer.isEmpty && !finished {
                let page = try await fetch(nextToken)
                buffer = page.urls.reversed()
                nextToken = page.nextToken
                finished = nextToken?.isEmpty ?? true
            }
            return buffer.popLast()
        }
    }
}
