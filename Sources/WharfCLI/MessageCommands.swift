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
        let attributes = try keyValues(self.attributes, option: "--attribute")
            .mapValues { MessageAttributeValue(dataType: "String", stringValue: $0) }
        let messageAttributes = attributes.isEmpty ? nil : attributes
        if let file {
            try await sendLines(file: file, queueURL: queueURL, attributes: messageAttributes, client: client)
            return
        }
        // From stdin, one trailing newline (as `echo` writes) is not part of the body.
        var text = body ?? String(decoding: CLIEnvironment.current.readStdin(), as: UTF8.self)
        if body == nil, text.hasSuffix("\n") { text.removeLast() }
        let response = try await client.sendMessage(queueUrl: queueURL, body: text, delaySeconds: delay,
                                                    attributes: messageAttributes, groupId: group, deduplicationId: dedup)
        if options.json { printLine(try jsonText(response)); return }
        printLine(response.SequenceNumber.map { "\(response.MessageId)\t\($0)" } ?? response.MessageId)
    }

    private func sendLines(file: String, queueURL: String, attributes: MessageAttributes?, client: SQSClient) async throws {
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
            let entries = chunk.enumerated().map { offset, line in
                let number = index + offset + 1
                return SendMessageBatchRequestEntry(
                    Id: "l\(number)", MessageBody: line, DelaySeconds: delay, MessageAttributes: attributes,
                    MessageDeduplicationId: dedup.map { "\($0)-\(number)" }, MessageGroupId: group)
            }
            let response = try await client.sendMessageBatch(SendMessageBatchRequest(QueueUrl: queueURL, Entries: entries))
            sent += response.Successful.count
            for failure in response.Failed ?? [] { failed.append("line \(failure.Id.dropFirst()): \(failure.Code) \(failure.Message ?? "")") }
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
        var messages: [Message] = []
        while messages.count < count {
            let batch = try await client.receiveMessages(
                queueUrl: queueURL, max: min(10, count - messages.count), wait: wait, visibility: visibility,
                systemAttributes: ["All"], messageAttributes: ["All"])
            if batch.isEmpty { break }
            messages += batch
            if !options.json { for message in batch { printLine("\(message.MessageId)\t\(message.Body)") } }
        }
        if options.json { printLine(try jsonText(["Messages": messages])) }
        if delete && !messages.isEmpty {
            let outcome = try await client.deleteMessages(queueUrl: queueURL, receiptHandles: messages.map(\.ReceiptHandle))
            if !outcome.failed.isEmpty {
                printError("\(outcome.failed.count) deletes failed: \(outcome.failed.map(\.Code).joined(separator: ", "))")
                throw ExitCode(1)
            }
        }
    }
}
