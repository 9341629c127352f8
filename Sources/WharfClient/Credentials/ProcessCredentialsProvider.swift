import Foundation

/// A profile's `credential_process`: a command that prints the credentials as JSON
/// (`{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`),
/// the SDKs' hook for password managers and corporate login tools. Run with `/bin/sh -c`, as the
/// Go and Java SDKs do on Unix; a non-zero exit is reported with the end of its stderr.
///
/// ```swift
/// let login = ProcessCredentialsProvider(command: "corp-login --print-aws-credentials", timeout: 30)
/// let sqs = SQSClient(credentials: CachingCredentialsProvider(login))
/// ```
public struct ProcessCredentialsProvider: CredentialsProvider {
    public let command: String
    /// What the command may take before it counts as failed.
    public var timeout: TimeInterval

    public init(command: String, timeout: TimeInterval = 60) {
        self.command = command; self.timeout = timeout
    }

    public func credentials() async throws(SQSClientError) -> AWSCredentials {
        let source = "credential_process \(command)"
        let result: CommandResult
        do {
            result = try await CommandResult.run(command, timeout: timeout)
        } catch {
            throw .credentials("\(source): \(error)")
        }
        guard result.status == 0 else {
            let tail = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).suffix(500)
            throw .credentials("\(source): exit status \(result.status)" + (tail.isEmpty ? "" : ": \(tail)"))
        }
        let document = try CredentialsDocument.parse(result.stdout, source: source)
        guard document.Version == 1 else {
            throw .credentials("\(source): the output must have \"Version\": 1, has \(document.Version.map(String.init) ?? "none")")
        }
        return try document.credentials(source: source)
    }
}

/// A finished shell command's exit status and output.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Runs `/bin/sh -c command` with no stdin; terminates it after `timeout` seconds.
    static func run(_ command: String, timeout: TimeInterval) async throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        // Read both pipes while the command runs, so a chatty command cannot fill one and block,
        // on dispatch threads: a blocking read must not hold one of the cooperative pool's.
        async let stdoutData = readToEnd(out.fileHandleForReading)
        async let stderrData = readToEnd(err.fileHandleForReading)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                try? out.fileHandleForWriting.close()
                try? err.fileHandleForWriting.close()
                continuation.resume(throwing: Failure(description: "cannot run /bin/sh: \(error.localizedDescription)"))
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { process.terminate() }
            }
        }
        // Foundation closes our copies of the write ends at launch; closing the same FileHandle
        // again only throws, so this is for the platforms that do not.
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        return CommandResult(status: status, stdout: String(decoding: await stdoutData, as: UTF8.self),
                             stderr: String(decoding: await stderrData, as: UTF8.self))
    }

    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
