import ArgumentParser
import Foundation
import SQSModel
import WharfClient

/// `wharf queue create|list|url|delete|purge|attributes|tag`.
public struct QueueCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Create, list, inspect and delete queues.",
        subcommands: [Create.self, List.self, URLOf.self, Delete.self, Purge.self, Attributes.self, Tag.self])
    public init() {}

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a queue (a .fifo name makes a FIFO queue); prints its URL.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Queue name.") var name: String
        @Option(name: .customLong("attribute"), help: "Queue attribute name=value (repeatable), e.g. VisibilityTimeout=60.")
        var attributes: [String] = []
        @Option(name: .customLong("tag"), help: "Tag key=value (repeatable).") var tags: [String] = []

        func run() async throws {
            let client = try options.makeClient()
            var attributes = try queueAttributes(self.attributes, option: "--attribute")
            if name.hasSuffix(".fifo") && attributes[.fifoQueue] == nil { attributes[.fifoQueue] = "true" }
            let tags = try keyValues(self.tags, option: "--tag")
            let url = try await client.createQueue(named: name, attributes: attributes, tags: tags)
            printLine(options.json ? try jsonText(CreateQueueResponse(QueueUrl: url)) : url)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queue URLs (all pages).")
        @OptionGroup var options: ClientOptions
        @Option(help: "Only queues whose name starts with this.") var prefix: String?

        func run() async throws {
            let client = try options.makeClient()
            var urls: [String] = []
            for try await url in client.listQueues(prefix: prefix) {
                if options.json { urls.append(url) } else { printLine(url) }
            }
            if options.json { printLine(try jsonText(["QueueUrls": urls])) }
        }
    }

    struct URLOf: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the URL of a queue.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Queue name.") var name: String

        func run() async throws {
            let url = try await options.makeClient().queueURL(named: name)
            printLine(options.json ? try jsonText(["QueueUrl": url]) : url)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a queue.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Queue name or URL.") var queue: String

        func run() async throws {
            let (client, url) = try await options.clientAndQueue(queue)
            try await client.deleteQueue(url)
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every message of a queue.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Queue name or URL.") var queue: String

        func run() async throws {
            let (client, url) = try await options.clientAndQueue(queue)
            try await client.purgeQueue(url)
        }
    }

    struct Attributes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Get or set queue attributes.", subcommands: [Get.self, Set.self], defaultSubcommand: Get.self)

        struct Get: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print attributes as name=value lines.")
            @OptionGroup var options: ClientOptions
            @Argument(help: "Queue name or URL.") var queue: String
            @Argument(help: "Attribute names (default All).") var names: [String] = []

            func run() async throws {
                let (client, url) = try await options.clientAndQueue(queue)
                let attributes = try await client.queueAttributes(
                    of: url, names: names.isEmpty ? [.all] : names.map(QueueAttributeName.init(rawValue:)))
                try printMap("Attributes", Dictionary(uniqueKeysWithValues: attributes.map { ($0.key.rawValue, $0.value) }),
                             json: options.json)
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set attributes given as name=value.")
            @OptionGroup var options: ClientOptions
            @Argument(help: "Queue name or URL.") var queue: String
            @Argument(help: "name=value pairs.") var pairs: [String]

            func run() async throws {
                let (client, url) = try await options.clientAndQueue(queue)
                try await client.setQueueAttributes(try queueAttributes(pairs, option: "attribute"), of: url)
            }
        }
    }

    struct Tag: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, add or remove queue tags.", subcommands: [List.self, Add.self, Remove.self],
            defaultSubcommand: List.self)

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print tags as key=value lines.")
            @OptionGroup var options: ClientOptions
            @Argument(help: "Queue name or URL.") var queue: String

            func run() async throws {
                let (client, url) = try await options.clientAndQueue(queue)
                let tags = try await client.queueTags(of: url)
                try printMap("Tags", tags, json: options.json)
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add or overwrite tags given as key=value.")
            @OptionGroup var options: ClientOptions
            @Argument(help: "Queue name or URL.") var queue: String
            @Argument(help: "key=value pairs.") var pairs: [String]

            func run() async throws {
                let (client, url) = try await options.clientAndQueue(queue)
                try await client.tagQueue(url, with: try keyValues(pairs, option: "tag"))
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove tags by key.")
            @OptionGroup var options: ClientOptions
            @Argument(help: "Queue name or URL.") var queue: String
            @Argument(help: "Tag keys.") var keys: [String]

            func run() async throws {
                let (client, url) = try await options.clientAndQueue(queue)
                try await client.untagQueue(url, removing: keys)
            }
        }
    }
}

/// `wharf redrive start|list|cancel`: dead-letter queue move tasks.
public struct RedriveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "redrive", abstract: "Move messages out of a dead-letter queue (message move tasks).",
        subcommands: [Start.self, List.self, Cancel.self])
    public init() {}

    /// A queue name, URL or ARN, as an ARN.
    static func arn(_ queue: String, client: SQSClient) async throws -> String {
        if queue.hasPrefix("arn:") { return queue }
        let url = try await resolveQueue(queue, client: client)
        guard let arn = try await client.queueAttributes(of: url, names: [.queueARN])[.queueARN] else {
            throw ValidationError("no QueueArn for \(queue)")
        }
        return arn
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start moving messages from a dead-letter queue; prints the task handle.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Dead-letter queue (name, URL or ARN).") var source: String
        @Option(help: "Destination queue (name, URL or ARN); default: the queues the messages came from.")
        var destination: String?
        @Option(help: "Messages per second.") var rate: Int?

        func run() async throws {
            let client = try options.makeClient()
            let handle = try await client.startMessageMoveTask(
                sourceARN: try await RedriveCommand.arn(source, client: client),
                destinationARN: try await destination.asyncMap { try await RedriveCommand.arn($0, client: client) },
                maxNumberOfMessagesPerSecond: rate)
            printLine(options.json ? try jsonText(StartMessageMoveTaskResponse(TaskHandle: handle)) : handle)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the move tasks of a dead-letter queue.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Dead-letter queue (name, URL or ARN).") var source: String

        func run() async throws {
            let client = try options.makeClient()
            let tasks = try await client.listMessageMoveTasks(
                sourceARN: try await RedriveCommand.arn(source, client: client), maxResults: 10)
            if options.json {
                // As the service answers: no Results member when there are none.
                let results = tasks.isEmpty ? nil : tasks.map(ListMessageMoveTasksResultEntry.init)
                printLine(try jsonText(ListMessageMoveTasksResponse(Results: results)))
                return
            }
            for task in tasks {
                printLine([task.status?.rawValue ?? "?", "moved=\(task.approximateNumberOfMessagesMoved ?? 0)",
                           "toMove=\(task.approximateNumberOfMessagesToMove.map(String.init) ?? "?")",
                           task.taskHandle ?? "", task.failureReason ?? ""].joined(separator: "\t"))
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a running move task.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Task handle.") var taskHandle: String

        func run() async throws {
            let moved = try await options.makeClient().cancelMessageMoveTask(taskHandle)
            printLine(options.json ? try jsonText(CancelMessageMoveTaskResponse(ApproximateNumberOfMessagesMoved: moved.map { Int64($0) }))
                                   : "moved \(moved ?? 0)")
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): return try await transform(value)
        case .none: return nil
        }
    }
}
