import ArgumentParser
import Foundation
import SQSModel
import Testing
import WharfCLI
import WharfClient
import WharfTestSupport
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Captured output of in-process CLI commands.
final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var outLines: [String] = []
    private var errLines: [String] = []
    let stdin: Data
    init(stdin: Data = Data()) { self.stdin = stdin }
    var out: [String] { lock.lock(); defer { lock.unlock() }; return outLines }
    var err: [String] { lock.lock(); defer { lock.unlock() }; return errLines }

    var environment: CLIEnvironment {
        CLIEnvironment(out: { line in self.lock.lock(); self.outLines.append(line); self.lock.unlock() },
                       err: { line in self.lock.lock(); self.errLines.append(line); self.lock.unlock() },
                       readStdin: { self.stdin }, handlesSignals: false)
    }
}

/// Parses and runs a client command in-process, capturing its output.
@discardableResult
func runCLI<C: AsyncParsableCommand>(_ type: C.Type, _ arguments: [String], stdin: Data = Data()) async throws -> Captured {
    let captured = Captured(stdin: stdin)
    try await runCLI(type, arguments, capturing: captured)
    return captured
}

/// Parses and runs a client command in-process with output into `captured`, which the caller
/// may read while the command runs.
func runCLI<C: AsyncParsableCommand>(_ type: C.Type, _ arguments: [String], capturing captured: Captured) async throws {
    // parseAsRoot walks subcommands (`queue create ...`) down to the command to run.
    guard var command = try type.parseAsRoot(arguments) as? any AsyncParsableCommand else {
        throw CLIParseFailure(arguments: arguments)
    }
    try await CLIEnvironment.$current.withValue(captured.environment) {
        try await command.run()
    }
}

func temporaryFile(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("wharf-\(UUID().uuidString)-\(name)").path
}

func waitFor(_ seconds: Double = 15, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

struct CLIParseFailure: Error { var arguments: [String] }

/// A one-thread HTTP/1.1 server for `--post`: answers each request with the next status of
/// `statuses` (the last one repeats) and records the bodies.
final class WebhookServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var statuses: [Int]

    var bodies: [String] { lock.lock(); defer { lock.unlock() }; return received }

    init(statuses: [Int]) {
        self.statuses = statuses
        (fd, port) = Sockets.makeListener()
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            defer { close(client) }
            guard let request = Sockets.readMessage(client) else { continue }
            let body = request.range(of: "\r\n\r\n").map { String(request[$0.upperBound...]) } ?? ""
            lock.lock()
            received.append(body)
            let status = statuses.count > 1 ? statuses.removeFirst() : statuses[0]
            lock.unlock()
            Sockets.write(client, Array("HTTP/1.1 \(status) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        }
    }
}
