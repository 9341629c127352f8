import Foundation
import WharfConsumer

/// `--exec CMD`: `/bin/sh -c CMD` per message (or per batch), the JSON on stdin. Exit status 0
/// is success; otherwise the failure carries the status and the end of the command's stderr,
/// which is captured for that purpose. In batch mode stdout is captured too and read as
/// Lambda's `{"batchItemFailures": [{"itemIdentifier": "<messageId>"}]}`; single-message
/// handlers keep writing to the listener's stdout.
struct ExecHandler: Sendable {
    let command: String

    /// The last lines of stderr a failure reports.
    static let stderrTailLines = 10
    static let stderrTailBytes = 2000

    func handle(_ message: ConsumerMessage) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["WHARF_MESSAGE_ID"] = message.messageId
        environment["WHARF_RECEIVE_COUNT"] = String(message.receiveCount)
        environment["WHARF_QUEUE_URL"] = message.object["queueUrl"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        _ = try await run(input: message.output.jsonData() + Data("\n".utf8), environment: environment, captureStdout: false)
    }

    func handle(batch: [ConsumerMessage]) async throws -> BatchResult {
        var environment = ProcessInfo.processInfo.environment
        environment["WHARF_BATCH_SIZE"] = String(batch.count)
        environment["WHARF_QUEUE_URL"] = batch.first?.object["queueUrl"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        let output = try await run(input: BatchInput.json(batch) + Data("\n".utf8), environment: environment, captureStdout: true)
        return try BatchResult(lambdaResponse: output)
    }

    /// Runs the command; throws `HandlerFailure` unless it exits 0. Cancellation (handler timeout,
    /// shutdown) terminates it.
    func run(input: Data, environment: [String: String], captureStdout: Bool) async throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = environment
        let (stdin, stderr) = (Pipe(), Pipe())
        let stdout: Pipe? = captureStdout ? Pipe() : nil
        process.standardInput = stdin
        process.standardError = stderr
        if let stdout { process.standardOutput = stdout }
        // Read while the command runs: a full pipe would block it. The pipes reach EOF once the
        // command (and anything it left running) closed them.
        async let errorTail = PipeReader.read(stderr.fileHandleForReading, keepingLast: Self.stderrTailBytes)
        async let output = PipeReader.read(stdout?.fileHandleForReading, keepingLast: 1 << 20)
        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    try? stderr.fileHandleForWriting.close()
                    try? stdout?.fileHandleForWriting.close()
                    continuation.resume(throwing: HandlerFailure(description: "cannot run /bin/sh: \(error.localizedDescription)"))
                    return
                }
                let writer = stdin.fileHandleForWriting
                DispatchQueue.global().async {
                    try? writer.write(contentsOf: input)
                    try? writer.close()
                }
            }
        } onCancel: {
            if process.isRunning { process.terminate() }
        }
        let captured = await output
        guard status == 0 else {
            let reason = process.terminationReason == .uncaughtSignal ? "killed by signal \(status)" : "exit status \(status)"
            let tail = Self.tail(of: await errorTail)
            throw HandlerFailure(description: "\(command): \(reason)" + (tail.isEmpty ? "" : "; stderr: \(tail)"))
        }
        return captured
    }

    /// The last lines of what a command wrote on stderr, trimmed.
    static func tail(of data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(stderrTailLines).joined(separator: "\n")
    }
}

/// A handler's failure as the consumer reports it: the description is the cause.
struct HandlerFailure: Error, CustomStringConvertible {
    var description: String
}

/// Reads a pipe to its end on a dispatch thread (never on the cooperative pool, which has
/// one thread per core), keeping only the last bytes.
enum PipeReader {
    static func read(_ handle: FileHandle?, keepingLast limit: Int) async -> Data {
        guard let handle else { return Data() }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var kept = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    kept.append(chunk)
                    if kept.count > limit { kept = Data(kept.suffix(limit)) }
                }
                continuation.resume(returning: kept)
            }
        }
    }
}

/// What a batch handler receives: the outputs of the batch's messages as one JSON array.
enum BatchInput {
    static func json(_ batch: [ConsumerMessage]) -> Data {
        var data = Data("[".utf8)
        for (index, message) in batch.enumerated() {
            if index > 0 { data.append(Data(",".utf8)) }
            data.append(message.output.jsonData())
        }
        data.append(Data("]".utf8))
        return data
    }
}
