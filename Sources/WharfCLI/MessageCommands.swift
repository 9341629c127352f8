import ArgumentParser
import Foundation
import SQSModel
import WharfClient

/// `wharf send`: one message from an argument or stdin, or one per line of a file.
public struct SendCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a message (body from the argument or stdin), or each line of a file.")
    public init() {}

    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Queue name or URL.") var queue: String
    @Argument(help: "Message body; read from stdin when absent (and no --file).") var body: String?
    @Option(help: "Send each non-empty line of this file as a message ('-' for stdin), in batches of 10.")
    var file: String?
    @Option(name: .customLong("attribute"), help: "String message attribute name=value (repeatable).")
    var attributes: [String] = []
    @Option(help: "MessageGroupId (FIFO queues).") var group: String?
    @Option(help: "MessageDeduplicationId (FIFO); with --file, line n gets '<id>-<n>'.") var dedup: String?
    @Option(help: "DelaySeconds, 0...900.") var delay: Int?

    public func run() async throws {
        let (client, queueURL) = try await options.clientAndQueue(queue)
        let messageAttributes = try keyValues(self.attributes, option: "--attribute").mapValues { MessageAttribute.string($0) }
        if let file {
            try await sendLines(file: file, queueURL: queueURL, attributes: messageAttributes, client: client)
            return
        }
        // From stdin, one trailing newline (as `echo` writes) is not part of the body.
        var text = body ?? String(decoding: CLIEnvironment.current.readStdin(), as: UTF8.self)
        if body == nil, text.hasSuffix("\n") { text.removeLast() }
        let sent = try await client.sendMessage(text, to: queueURL, delaySeconds: delay, groupId: group,
                                                deduplicationId: dedup, messageAttributes: messageAttributes)
        if options.json { printLine(try jsonText(SendMessageResponse(sent))); return }
        printLine(sent.sequenceNumber.map { "\(sent.messageId)\t\($0)" } ?? sent.messageId)
    }

    private func sendLines(file: String, queueURL: String, attributes: [String: MessageAttribute],
                           client: SQSClient) async throws {
        let data: Data
        if file == "-" {
            data = CLIEnvironment.current.readStdin()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            data = contents
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.isEmpty }
        var sent = 0
        var failed: [String] = []
        var lastReport = Date.distantPast
        var index = 0
        while index < lines.count {
            let chunk = lines[index..<min(index + 10, lines.count)]
            let messages = chunk.enumerated().map { offset, line in
                OutgoingMessage(body: line, delaySeconds: delay, groupId: group,
                                deduplicationId: dedup.map { "\($0)-\(index + offset + 1)" }, messageAttributes: attributes)
            }
            let outcome = try await client.sendMessages(messages, to: queueURL)
            sent += outcome.successful.count
            for failure in outcome.failed {
                failed.append("line \(index + failure.index + 1): \(failure.code) \(failure.message ?? "")")
            }
            index += chunk.count
            if Date().timeIntervalSince(lastReport) >= 0.5 || index == lines.count {
                lastReport = Date()
                printError("sent \(sent)/\(lines.count)" + (failed.isEmpty ? "" : ", \(failed.count) failed"))
            }
        }
        for failure in failed { printError(failure) }
        if options.json { printLine(try jsonText(["sent": sent, "failed": failed.count])) }
        if !failed.isEmpty { throw ExitCode(1) }
    }
}

/// `wharf receive`: prints messages; `--delete` deletes them after printing.
public struct ReceiveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "receive", abstract: "Receive messages and print them (text: id and body per line).")
    public init() {}

    @OptionGroup var options: ClientOptions
    @Option(name: .shortAndLong, help: "Queue name or URL.") var queue: String
    @Option(help: "Messages to receive at most (several receives of up to 10 when over 10).") var count = 1
    @Option(help: "Long-poll seconds per receive, 0...20.") var wait: Int?
    @Option(help: "VisibilityTimeout for the received messages.") var visibility: Int?
    @Flag(help: "Delete the messages once printed.") var delete = false

    public func run() async throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        let (client, queueURL) = try await options.clientAndQueue(queue)
        var messages: [SQSMessage] = []
        while messages.count < count {
            let batch = try await client.receiveMessages(
                from: queueURL, maxMessages: min(10, count - messages.count), waitTimeSeconds: wait,
                visibilityTimeout: visibility, systemAttributeNames: [.all], messageAttributeNames: ["All"])
            if batch.isEmpty { break }
            messages += batch
            if !options.json { for message in batch { printLine("\(message.id)\t\(message.body)") } }
        }
        // As the aws CLI prints it: the response's members.
        if options.json { printLine(try jsonText(["Messages": messages.map { Message($0) }])) }
        if delete && !messages.isEmpty {
            let outcome = try await client.deleteMessages(messages.map(\.receiptHandle), from: queueURL)
            if !outcome.failed.isEmpty {
                printError("\(outcome.failed.count) deletes failed: \(outcome.failed.map(\.code).joined(separator: ", "))")
                throw ExitCode(1)
            }
        }
    }
}
