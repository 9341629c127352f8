import ArgumentParser
import Foundation
import SigV4
import WharfBench

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load-test any SQS endpoint (AWS JSON 1.0, SigV4-signed) and print messages/s and latency percentiles.",
        discussion: "Workloads: \(BenchRunner.workloads.joined(separator: ", ")), or all; `fill` (not in all) leaves a queue of --messages messages behind.")

    @Argument(help: "Workloads to run, in order (default: all).") var workloads: [String] = []
    @Option(help: "SQS endpoint (http only); several, comma-separated, spread the workers over them (nodes of one cluster).")
    var endpoint = "http://localhost:9324"
    @Option(help: "Region to sign for.") var region = "us-east-1"
    @Option(help: "Access key id to sign with.") var accessKey = "AKIDBENCH"
    @Option(help: "Secret key to sign with.") var secretKey = "benchsecret"
    @Option(help: "Keep-alive connections (workers).") var connections = 32
    @Option(help: "Seconds per timed workload.") var duration = 10.0
    @Option(help: "Message body size in bytes.") var bodySize = 100
    @Option(help: "Messages prefilled for `cycle` (and sent by `longpoll`, at most 500).") var messages = 100_000
    @Option(help: "Comma-separated backlog sizes for `backlog` and `fifo-backlog`.") var backlog = "1000,1000000"
    @Option(help: "Path of the cheapest request for `health`.") var healthPath = "/health"
    @Option(help: "Event-loop threads of the load generator.") var threads = 2
    @Option(help: "Also write the results as JSON to this file.") var json: String?
    @Option(help: "send/send-batch into this queue (created if missing, kept) instead of a fresh one.") var queue: String?

    func run() async throws {
        var options = BenchOptions()
        options.connections = connections
        options.durationSeconds = duration
        options.bodySize = bodySize
        options.messages = messages
        options.backlogSizes = backlog.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        options.healthPath = healthPath
        options.eventLoopThreads = threads
        options.queueName = queue
        let endpoints = endpoint.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let target = try BenchTarget(endpoints: endpoints, region: region,
                                     credentials: SigningCredentials(accessKeyId: accessKey, secretAccessKey: secretKey))
        let runner = BenchRunner(target: target, options: options) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        var results: [BenchResult] = []
        do {
            for workload in workloads.isEmpty || workloads == ["all"] ? BenchRunner.workloads : workloads {
                for result in try await runner.run(workload) {
                    print(result.line)
                    results.append(result)
                }
            }
        } catch {
            try? await runner.shutdown()
            throw error
        }
        try await runner.shutdown()
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(results).write(to: URL(fileURLWithPath: json))
        }
    }
}
