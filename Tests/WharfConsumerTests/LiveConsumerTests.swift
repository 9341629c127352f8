import Foundation
import SQSModel
import Testing
import WharfCLI
import WharfClient
import WharfConsumer
import WharfExpression
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import WharfTestSupport

/// End to end against a live `wharf serve`.
@Suite(.serialized) struct LiveConsumerTests {
    @Test func failFastOnAMissingQueue() async throws {
        try await withWharf { server in
            let consumer = Consumer(client: server.client(), configuration: ConsumerConfiguration(queue: "missing")) { _ in }
            await #expect(throws: ConsumerError.queueDoesNotExist("missing")) { try await consumer.run() }
        }
    }

    @Test func failedMessageComesBackAndIsProcessedAgain() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "retry")
            _ = try await client.sendMessage(#"{"id": 7}"#, to: url)
            let attempts = Recorder<Int>()
            var configuration = ConsumerConfiguration(queue: url)
            configuration.waitTimeSeconds = 1
            let consumer = Consumer(client: client, configuration: configuration) { message in
                attempts.append(message.receiveCount)
                if message.receiveCount == 1 { throw TestFailure() }
            }
            let counters = try await runConsumer(consumer) { $0.processed == 1 && $0.deleted == 1 }
            #expect(attempts.values == [1, 2])
            #expect(counters.failed == 1 && counters.released == 1)
            let left = try await client.queueAttributes(of: url, names: [.approximateNumberOfMessages, .approximateNumberOfMessagesNotVisible])
            #expect(left[.approximateNumberOfMessages] == "0" && left[.approximateNumberOfMessagesNotVisible] == "0")
        }
    }

    @Test func heartbeatKeepsASlowMessageInvisible() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "slow", attributes: [.visibilityTimeout: "2"])
            _ = try await client.sendMessage("slow", to: url)
            var configuration = ConsumerConfiguration(queue: "slow")
            configuration.waitTimeSeconds = 1
            configuration.heartbeat = Heartbeat(interval: .milliseconds(500), extendTo: 2)
            let consumer = Consumer(client: client, configuration: configuration) { _ in
                try await Task.sleep(for: .seconds(5))
            }
            let task = Task { try await consumer.run() }
            #expect(try await waitFor { consumer.counters.received == 1 })
            // 5 s against a 2 s visibility timeout: without the heartbeat a probe would get it.
            var stolen = 0
            for _ in 0..<8 {
                stolen += try await client.receiveMessages(from: url, maxMessages: 10, waitTimeSeconds: 0).count
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(stolen == 0)
            #expect(try await waitFor { consumer.counters.deleted == 1 })
            consumer.stop()
            try await task.value
            #expect(consumer.counters.heartbeats >= 4)
            #expect(consumer.counters.received == 1, "never delivered twice")
        }
    }

    @Test func fifoOrderWithinGroupsAgainstWharf() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "orders.fifo",
                                                   attributes: [.fifoQueue: "true", .contentBasedDeduplication: "true"])
            for seq in 1...5 { for group in ["a", "b", "c"] {
                _ = try await client.sendMessage("\(group)\(seq)", to: url, groupId: group)
            } }
            let seen = Recorder<String>()
            var configuration = ConsumerConfiguration(queue: url)
            configuration.waitTimeSeconds = 1
            configuration.concurrency = 10
            let consumer = Consumer(client: client, configuration: configuration) { message in
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...40)))
                seen.append(message.message.body)
            }
            try await runConsumer(consumer) { $0.processed == 15 }
            for group in ["a", "b", "c"] {
                #expect(seen.values.filter { $0.hasPrefix(group) } == (1...5).map { "\(group)\($0)" })
            }
        }
    }

    @Test func sendFileAndReceiveDeleteRoundTrip() async throws {
        try await withWharf { server in
            _ = try await runCLI(QueueCommand.self, ["create", "lines", "--endpoint", server.endpoint])
            let file = temporaryFile("lines.txt")
            let lines = (1...25).map { #"{"n": \#($0)}"# }
            try (lines.joined(separator: "\n") + "\n\n").write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let sent = try await runCLI(SendCommand.self, ["-q", "lines", "--file", file, "--attribute", "source=file",
                                                           "--endpoint", server.endpoint])
            #expect(sent.err.last == "sent 25/25")
            let received = try await runCLI(ReceiveCommand.self, ["-q", "lines", "--count", "30", "--wait", "1",
                                                                  "--delete", "--json", "--endpoint", server.endpoint])
            let json = try #require(received.out.first)
            let response = try JSONDecoder().decode(ReceiveMessageResponse.self, from: Data(json.utf8))
            let messages = response.Messages ?? []
            #expect(Set(messages.map(\.Body)) == Set(lines))
            #expect(messages.allSatisfy { $0.MessageAttributes?["source"]?.StringValue == "file" })
            let again = try await runCLI(ReceiveCommand.self, ["-q", "lines", "--wait", "0", "--endpoint", server.endpoint])
            #expect(again.out.isEmpty, "deleted: nothing left")
            // Text mode and stdin.
            let single = try await runCLI(SendCommand.self, ["-q", "lines", "--endpoint", server.endpoint],
                                          stdin: Data("from stdin\n".utf8))
            #expect(single.out.count == 1)
            let text = try await runCLI(ReceiveCommand.self, ["-q", "lines", "--wait", "1", "--delete", "--endpoint", server.endpoint])
            #expect(text.out.first?.hasSuffix("\tfrom stdin") == true)
        }
    }

    @Test func queueCommands() async throws {
        try await withWharf { server in
            let endpoint = ["--endpoint", server.endpoint]
            let created = try await runCLI(QueueCommand.self, ["create", "q1", "--attribute", "VisibilityTimeout=45"] + endpoint)
            let url = try #require(created.out.first)
            #expect(try await runCLI(QueueCommand.self, ["list"] + endpoint).out == [url])
            try await runCLI(QueueCommand.self, ["attributes", "set", "q1", "DelaySeconds=3"] + endpoint)
            let attributes = try await runCLI(QueueCommand.self, ["attributes", "get", "q1", "VisibilityTimeout", "DelaySeconds"] + endpoint)
            #expect(Set(attributes.out) == ["VisibilityTimeout=45", "DelaySeconds=3"])
            try await runCLI(QueueCommand.self, ["tag", "add", "q1", "team=core"] + endpoint)
            #expect(try await runCLI(QueueCommand.self, ["tag", "list", "q1"] + endpoint).out == ["team=core"])
            try await runCLI(QueueCommand.self, ["purge", url] + endpoint)
            try await runCLI(QueueCommand.self, ["delete", "q1"] + endpoint)
            #expect(try await runCLI(QueueCommand.self, ["list", "--json"] + endpoint).out == [#"{"QueueUrls":[]}"#])
        }
    }

    @Test func listenExecWithWhenFilteringAndMapping() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "events")
            for body in [#"{"kind":"a","id":1}"#, #"{"kind":"b","id":2}"#, #"{"kind":"a","id":3}"#] {
                _ = try await client.sendMessage(body, to: url)
            }
            let out = temporaryFile("exec.out")
            defer { try? FileManager.default.removeItem(atPath: out) }
            let listened = try await runCLI(ListenCommand.self, [
                "-q", "events", "--endpoint", server.endpoint, "--wait", "1", "--count", "3",
                "--when", #"=body.kind = "a""#, "--map", "={id: body.id, messageId: messageId}",
                "--unmatched", "leave", "--exec", "cat >> '\(out)'; echo >> '\(out)'",
            ])
            #expect(!listened.err.contains { $0.contains(" error ") || $0.contains(" warning ") }, "\(listened.err)")
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
            let values = try lines.map { try FEELValue(jsonString: $0) }
            #expect(values.compactMap { $0["id"] }.sorted { $0.description < $1.description } == [1, 3])
            #expect(values.allSatisfy { $0["messageId"] != nil && $0["kind"] == nil })
            // The unmatched "b" was left, not deleted: it is in flight until its visibility timeout.
            let left = try await client.queueAttributes(of: url, names: [.approximateNumberOfMessagesNotVisible])
            #expect(left[.approximateNumberOfMessagesNotVisible] == "1")
        }
    }

    @Test func listenPrintsJSONLinesAndDeletesOnUnmatched() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "printed")
            _ = try await client.sendMessage("hello", to: url, messageAttributes: ["key": .string("value")])
            _ = try await client.sendMessage("other", to: url)
            let listened = try await runCLI(ListenCommand.self, [
                "-q", url, "--endpoint", server.endpoint, "--wait", "1", "--count", "2",
                "--when", #"=(messageAttributes.key.stringValue="value")"#, "--result-variable", "message",
            ])
            #expect(listened.out.count == 1)
            let value = try FEELValue(jsonString: try #require(listened.out.first))
            #expect(value["message"]?["body"] == "hello")
            let left = try await client.queueAttributes(of: url, names: [.approximateNumberOfMessages, .approximateNumberOfMessagesNotVisible])
            #expect(left[.approximateNumberOfMessages] == "0" && left[.approximateNumberOfMessagesNotVisible] == "0")
        }
    }

    @Test func execHandlerKilledMidMessageIsRetried() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "killed")
            _ = try await client.sendMessage("payload", to: url)
            let out = temporaryFile("killed.out")
            defer { try? FileManager.default.removeItem(atPath: out) }
            // First delivery: the handler dies by SIGKILL halfway. Second: it completes.
            let script = #"read line; if [ "$WHARF_RECEIVE_COUNT" = 1 ]; then kill -9 $$; fi; echo "$WHARF_RECEIVE_COUNT $line" >> '\#(out)'"#
            _ = try await runCLI(ListenCommand.self, [
                "-q", "killed", "--endpoint", server.endpoint, "--wait", "1", "--count", "2",
                "--map", "=body", "--exec", script,
            ])
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text == "2 \"payload\"\n")
            let left = try await client.queueAttributes(of: url, names: [.approximateNumberOfMessages, .approximateNumberOfMessagesNotVisible])
            #expect(left[.approximateNumberOfMessages] == "0" && left[.approximateNumberOfMessagesNotVisible] == "0")
        }
    }

    @Test func listenPostsToAWebhookAndRetriesOnNon2xx() async throws {
        let webhook = WebhookServer(statuses: [503, 204])
        defer { webhook.stop() }
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "hooks")
            _ = try await client.sendMessage(#"{"id": 5}"#, to: url)
            try await runCLI(ListenCommand.self, [
                "-q", "hooks", "--endpoint", server.endpoint, "--wait", "1", "--count", "2",
                "--map", "={id: body.id}", "--post", "http://127.0.0.1:\(webhook.port)/hook",
            ])
            #expect(webhook.bodies == [#"{"id":5}"#, #"{"id":5}"#])
            let left = try await client.queueAttributes(of: url, names: [.approximateNumberOfMessages, .approximateNumberOfMessagesNotVisible])
            #expect(left[.approximateNumberOfMessages] == "0" && left[.approximateNumberOfMessagesNotVisible] == "0")
        }
    }

    @Test func handlerTimeoutKillsTheExecProcess() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "timeout")
            _ = try await client.sendMessage("x", to: url)
            let start = ContinuousClock.now
            _ = try await runCLI(ListenCommand.self, [
                "-q", url, "--endpoint", server.endpoint, "--wait", "1", "--count", "1",
                "--handler-timeout", "0.5", "--on-failure", "delay:60", "--exec", "exec sleep 30",
            ])
            #expect(ContinuousClock.now - start < .seconds(25), "well before the handler's 30 s")
            let left = try await client.queueAttributes(of: url, names: [.approximateNumberOfMessagesNotVisible])
            #expect(left[.approximateNumberOfMessagesNotVisible] == "1", "released with a 60 s delay, not deleted")
        }
    }

    /// The listener process itself is killed (SIGKILL) mid-message: the message returns after
    /// its visibility timeout and a new listener processes it. Needs a CLI binary with
    /// `listen`: WHARF_CLI_BIN, else this package's wharfcli-dev or wharf.
    @Test func killedListenerProcessLosesNothing() async throws {
        let candidates = [ProcessInfo.processInfo.environment["WHARF_CLI_BIN"],
                          WharfProcess.buildProduct("wharfcli-dev"), WharfProcess.buildProduct("wharf")].compactMap { $0 }
        guard let cli = candidates.first(where: { supportsListen($0) }) else {
            Issue.record("no CLI binary with `listen` among \(candidates)")
            return
        }
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "crash", attributes: [.visibilityTimeout: "2"])
            _ = try await client.sendMessage("survivor", to: url)
            let mark = temporaryFile("pid")
            let out = temporaryFile("out")
            defer { for file in [mark, out] { try? FileManager.default.removeItem(atPath: file) } }
            let first = try launch(cli, ["listen", "-q", "crash", "--endpoint", server.endpoint, "--wait", "1",
                                         "--no-heartbeat", "--exec", "echo $$ > '\(mark)'; exec sleep 60"])
            #expect(try await waitFor { FileManager.default.fileExists(atPath: mark) })
            let handlerPid = try await handlerPid(mark)
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            if let handlerPid { kill(handlerPid, SIGKILL) }
            let second = try launch(cli, ["listen", "-q", "crash", "--endpoint", server.endpoint, "--wait", "1",
                                          "--count", "1", "--map", "=body", "--exec", "cat >> '\(out)'"])
            #expect(try await waitFor(20) { !second.isRunning })
            #expect(second.terminationStatus == 0)
            #expect((try? String(contentsOfFile: out, encoding: .utf8)) == "\"survivor\"\n")
        }
    }

    private func supportsListen(_ path: String) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["listen", "--help"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    private func launch(_ path: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func handlerPid(_ mark: String) async throws -> Int32? {
        for _ in 0..<40 {
            if let text = try? String(contentsOfFile: mark, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
