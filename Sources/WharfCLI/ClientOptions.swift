import ArgumentParser
import Foundation
import WharfClient

/// The client subcommands of `wharf`, for the root command's `subcommands:` list.
public enum WharfClientCommands {
    public static let all: [any ParsableCommand.Type] = [
        QueueCommand.self, SendCommand.self, ReceiveCommand.self, RedriveCommand.self, ListenCommand.self,
        ExprCommand.self,
    ]
}

/// Options every client subcommand takes.
public struct ClientOptions: ParsableArguments {
    @Option(help: "SQS endpoint URL (else AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL, or AWS's for the region).")
    var endpoint: String?
    @Option(help: "Region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1).")
    var region: String?
    @Option(help: "Profile in ~/.aws/credentials and ~/.aws/config (else AWS_PROFILE, default).")
    var profile: String?
    @Flag(help: "Print JSON instead of text.")
    var json = false

    public init() {}

    /// A client for these options. Against a loopback endpoint (a local Wharf in dev mode)
    /// missing credentials fall back to dummy ones, since any signature is accepted there.
    func makeClient() throws -> SQSClient {
        var configuration = SQSClientConfiguration(region: region)
        if let endpoint {
            guard let url = URL(string: endpoint), url.host != nil else {
                throw ValidationError("--endpoint must be a URL such as http://127.0.0.1:9324")
            }
            configuration.endpoint = url
        }
        configuration.profile = profile
        let environment = configuration.environment
        let host = configuration.resolvedEndpoint(region: configuration.resolvedRegion()).host ?? ""
        let loopback = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host)
        // A local server is not on EC2's network: asking the metadata address would only wait.
        let chain = CachingCredentialsProvider(ChainCredentialsProvider.default(
            profile: profile, environment: environment, instanceMetadata: !loopback))
        if loopback {
            configuration.credentials = ClosureCredentialsProvider { () async throws(SQSClientError) -> AWSCredentials in
                do throws(SQSClientError) { return try await chain.credentials() } catch {
                    if case .cancelled = error { throw error }
                    return AWSCredentials(accessKeyId: "wharf", secretAccessKey: "wharf")
                }
            }
        } else {
            configuration.credentials = chain
        }
        return SQSClient(configuration: configuration)
    }
}

/// Where commands write, and what they read as stdin: replaceable so tests can run commands
/// in-process.
public struct CLIEnvironment: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    public var readStdin: @Sendable () -> Data
    /// Whether `listen` installs SIGINT/SIGTERM handlers.
    public var handlesSignals: Bool

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                readStdin: @escaping @Sendable () -> Data, handlesSignals: Bool) {
        self.out = out; self.err = err; self.readStdin = readStdin; self.handlesSignals = handlesSignals
    }

    public static let standard = CLIEnvironment(
        out: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
        err: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
        readStdin: { FileHandle.standardInput.readDataToEndOfFile() },
        handlesSignals: true)

    @TaskLocal public static var current = CLIEnvironment.standard
}

func printLine(_ line: String) { CLIEnvironment.current.out(line) }
func printError(_ line: String) { CLIEnvironment.current.err(line) }

/// Compact JSON with sorted keys.
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// `name=value` pairs as a dictionary.
func keyValues(_ pairs: [String], option: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for pair in pairs {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
            throw ValidationError("\(option) expects name=value, got \(pair)")
        }
        result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
    }
    return result
}

/// `name=value` pairs as queue attributes.
func queueAttributes(_ pairs: [String], option: String) throws -> [QueueAttributeName: String] {
    Dictionary(uniqueKeysWithValues: try keyValues(pairs, option: option).map { (QueueAttributeName(rawValue: $0.key), $0.value) })
}

/// A map as `{"<name>": {...}}` JSON, or as sorted `key=value` lines.
func printMap(_ name: String, _ map: [String: String], json: Bool) throws {
    if json { return printLine(try jsonText([name: map])) }
    for key in map.keys.sorted() { printLine("\(key)=\(map[key]!)") }
}

extension ClientOptions {
    /// The client these options describe, and the URL of a queue given by name or URL.
    func clientAndQueue(_ queue: String) async throws -> (SQSClient, String) {
        let client = try makeClient()
        return (client, try await resolveQueue(queue, client: client))
    }
}

/// A queue given by name or URL, as a URL.
func resolveQueue(_ queue: String, client: SQSClient) async throws -> String {
    queue.contains("://") ? queue : try await client.queueURL(named: queue)
}
