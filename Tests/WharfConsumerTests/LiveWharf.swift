import ArgumentParser
import Foundation
import SQSModel
import Testing
import WharfCLI
import WharfClient
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A `wharf serve` child process on a free loopback port with a throwaway data directory.
final class LiveWharf: @unchecked Sendable {
    let port: Int
    let process: Process
    let dataDir: URL
    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Tests/WharfConsumerTests/ -> ../../.build/debug/<name>
    static func buildProduct(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/\(name)").path
    }

    /// `WHARF_BIN`, else the package's debug build.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["WHARF_BIN"], !path.isEmpty { return path }
        return buildProduct("wharf")
    }

    init() async throws {
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no wharf binary at \(binary): build it or set WHARF_BIN")
        port = freePort()
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-consumer-\(UUID().uuidString)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", String(port), "--data-dir", dataDir.path, "--log-level", "error"]
        var environment = ProcessInfo.processInfo.environment
        for name in ["WHARF_ACCESS_KEY_ID", "WHARF_SECRET_ACCESS_KEY", "WHARF_CREDENTIALS_FILE"] { environment[name] = nil }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if await healthy() { return }
            try #require(process.isRunning, "wharf exited with status \(process.terminationStatus)")
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        Issue.record("wharf not ready after 10 s")
        throw CancellationError()
    }

    private func healthy() async -> Bool {
        let client = client()
        do {
            _ = try await client.listQueues(ListQueuesRequest())
            return true
        } catch {
            return false
        }
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(at: dataDir)
    }

    func client() -> SQSClient {
        var configuration = SQSClientConfiguration(
            region: "us-east-1", endpoint: URL(string: endpoint)!,
            credentials: StaticCredentialsProvider(accessKeyId: "AKIDTEST", secretAccessKey: "test"))
        configuration.environment = [:]
        configuration.retry = RetryPolicy(maxAttempts: 1)
        return SQSClient(configuration: configuration)
    }
}

func withWharf<T>(_ body: (LiveWharf) async throws -> T) async throws -> T {
    let server = try await LiveWharf()
    defer { server.stop() }
    return try await body(server)
}

/// A port nothing listens on right now.
func freePort() -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var bound = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &bound) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: bound.sin_port))
}

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
    // parseAsRoot walks subcommands (`queue create ...`) down to the command to run.
    guard var command = try type.parseAsRoot(arguments) as? any AsyncParsableCommand else {
        throw CLIParseFailure(arguments: arguments)
    }
    try await CLIEnvironment.$current.withValue(captured.environment) {
        try await command.run()
    }
    return captured
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
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(fd, 16)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: bound.sin_port))
        self.fd = fd
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            handle(client)
        }
    }

    private func handle(_ client: Int32) {
        defer { close(client) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let text = String(decoding: data, as: UTF8.self)
            if let headerEnd = text.range(of: "\r\n\r\n") {
                let headers = text[..<headerEnd.lowerBound].lowercased()
                let length = headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                let body = text[headerEnd.upperBound...]
                if body.utf8.count >= length {
                    lock.lock()
                    received.append(String(body))
                    let status = statuses.count > 1 ? statuses.removeFirst() : statuses[0]
                    lock.unlock()
                    let response = "HTTP/1.1 \(status) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    _ = response.utf8CString.withUnsafeBufferPointer { send(client, $0.baseAddress, $0.count - 1, 0) }
                    return
                }
            }
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return }
            data += buffer[0..<count]
        }
    }
}
