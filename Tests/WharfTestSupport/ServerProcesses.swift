import Foundation
import WharfClient
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Why a test server could not be started.
public struct TestServerError: Error, CustomStringConvertible {
    public var description: String
    /// The server process ended before it answered (e.g. its port was taken).
    public var exited = false
}

/// A `wharf serve` child process on a free loopback port with a throwaway data directory.
public final class WharfProcess: @unchecked Sendable {
    public let port: Int
    public let process: Process
    public let dataDir: URL

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The server binary: `WHARF_BIN`, else the package's own debug build.
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["WHARF_BIN"], !path.isEmpty { return path }
        return buildProduct("wharf")
    }

    /// A product of the package's debug build, found relative to this file
    /// (Tests/WharfTestSupport/ -> ../../.build/debug/<name>).
    public static func buildProduct(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/\(name)").path
    }

    /// - Parameter environment: extra variables, e.g. WHARF_ACCESS_KEY_ID/WHARF_SECRET_ACCESS_KEY
    ///   to make the server verify signatures.
    public init(environment: [String: String] = [:]) async throws {
        let binary = Self.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestServerError(description: "no wharf binary at \(binary): build it (swift build) or set WHARF_BIN")
        }
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-client-\(UUID().uuidString)")
        var env = ProcessInfo.processInfo.environment
        for name in ["WHARF_ACCESS_KEY_ID", "WHARF_SECRET_ACCESS_KEY", "WHARF_CREDENTIALS_FILE", "WHARF_STORE"] { env[name] = nil }
        // A free port can be taken by another test's server between the probe and the bind:
        // the server then exits at once, and another port is tried.
        var attempt = 0
        while true {
            attempt += 1
            let port = Sockets.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--port", String(port), "--data-dir", dataDir.path, "--log-level", "error"]
            process.environment = env.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            do {
                try await waitUntilReady(port: port, path: "/health", process: process)
                self.port = port
                self.process = process
                return
            } catch let error as TestServerError where error.exited && attempt < 5 {
                continue
            }
        }
    }

    public func stop() async {
        await terminate(process)
        try? FileManager.default.removeItem(at: dataDir)
    }

    /// A client for this server with throwaway credentials (dev mode accepts any signature).
    public func client(_ configure: (inout SQSClientConfiguration) -> Void = { _ in }) -> SQSClient {
        var configuration = SQSClientConfiguration(region: "us-east-1", endpoint: url,
                                                   credentials: StaticCredentialsProvider(accessKeyId: "AKIDTEST", secretAccessKey: "test"))
        configuration.environment = [:]
        configure(&configuration)
        return SQSClient(configuration: configuration)
    }
}

/// Runs `body` against a fresh server and stops it afterwards, whatever happens.
public func withWharf<T>(environment: [String: String] = [:], _ body: (WharfProcess) async throws -> T) async throws -> T {
    let server = try await WharfProcess(environment: environment)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// SIGTERM, then SIGKILL if the process has not exited within `gracePeriod` × 50 ms (3 s). Never blocks a thread of
/// the cooperative pool (2 on a 2-core machine): waitUntilExit there can stall every test.
public func terminate(_ process: Process, gracePeriod: Int = 60) async {
    guard process.isRunning else { return }
    process.terminate()
    for _ in 0..<gracePeriod where process.isRunning { try? await Task.sleep(nanoseconds: 50_000_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    for _ in 0..<40 where process.isRunning { try? await Task.sleep(nanoseconds: 50_000_000) }
}

public func waitUntilReady(port: Int, path: String, process: Process) async throws {
    for _ in 0..<200 {
        // Ours must be running: an answer on the port could come from another test's server.
        guard process.isRunning else {
            throw TestServerError(description: "server exited with status \(process.terminationStatus)", exited: true)
        }
        if Sockets.getStatus(port: port, path: path) != nil {
            try await Task.sleep(nanoseconds: 100_000_000)
            guard process.isRunning else {
                throw TestServerError(description: "server exited with status \(process.terminationStatus)", exited: true)
            }
            return
        }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
    await terminate(process)
    throw TestServerError(description: "server on port \(port) not ready after 10 s")
}

/// The path of an executable on PATH, if any.
public func executableOnPath(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// A `moto_server` child process, to prove the client against an SQS that is not Wharf.
public final class MotoProcess: @unchecked Sendable {
    public let port: Int
    public let process: Process
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public init(binary: String) async throws {
        port = Sockets.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await waitUntilReady(port: port, path: "/moto-api/", process: process)
    }

    /// moto_server ignores SIGTERM; it keeps nothing worth a grace period.
    public func stop() async { await terminate(process, gracePeriod: 0) }
}
