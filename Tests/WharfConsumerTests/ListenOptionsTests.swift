import Foundation
import SQSModel
import Testing
import WharfCLI
import WharfClient
import WharfExpression
import WharfTestSupport
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// `wharf listen`'s options for batches, attributes, SNS, logging and metrics, against a live Wharf.
@Suite struct ListenOptionsTests {
    @Test func helpDocumentsTheOptions() {
        let help = ListenCommand.helpMessage(columns: 200)
        for option in ["--batch", "--attribute-name", "--message-attribute-name", "--heartbeat-interval", "--heartbeat-extend",
                       "--no-heartbeat", "--visibility", "--jitter", "--unwrap-sns", "--metrics-port", "--metrics-host",
                       "--log-format", "--log-level", "batchItemFailures", "itemIdentifier"] {
            #expect(help.contains(option), "\(option) not in listen --help")
        }
    }

    @Test func invalidOptionsAreRefused() {
        for arguments in [["--batch", "11"], ["--jitter", "1.5"], ["--log-format", "xml"], ["--log-level", "loud"],
                          ["--heartbeat-extend", "0"]] {
            #expect(throws: (any Error).self, "\(arguments)") { try ListenCommand.parseAsRoot(["-q", "q"] + arguments) }
        }
    }

    /// The handler gets one JSON array per receive and names the failures on stdout; only
    /// those return to the queue (here after 60 s), the others are deleted.
    @Test func batchExecReportsPartialFailures() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "batch")
            for n in 1...4 { _ = try await client.sendMessage(#"{"n": \#(n)}"#, to: url) }
            let out = temporaryFile("batches")
            defer { try? FileManager.default.removeItem(atPath: out) }
            let script = """
                import json, sys
                batch = json.load(sys.stdin)
                open('\(out)', 'a').write(json.dumps(sorted(m['n'] for m in batch)) + '\\n')
                print(json.dumps({'batchItemFailures': [{'itemIdentifier': m['messageId']} for m in batch if m['n'] % 2 == 0]}))
                """
            let scriptFile = temporaryFile("handler.py")
            try script.write(toFile: scriptFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: scriptFile) }
            let listened = try await runCLI(ListenCommand.self, [
                "-q", "batch", "--endpoint", server.endpoint, "--wait", "1", "--count", "4", "--batch", "10",
                "--map", "={n: body.n, messageId: messageId}", "--on-failure", "delay:60", "--exec", "python3 '\(scriptFile)'",
            ])
            let batches = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
            #expect(batches.joined(separator: ",").filter(\.isNumber).sorted() == ["1", "2", "3", "4"])
            let failed = listened.err.filter { $0.contains("message failed: reported failed by the batch handler; released with delay 60 s") }
            #expect(failed.count == 2, "\(listened.err)")
            let left = try await client.queueAttributes(of: url, names: [.approximateNumberOfMessages, .approximateNumberOfMessagesNotVisible])
            #expect(left[.approximateNumberOfMessages] == "0")
            #expect(left[.approximateNumberOfMessagesNotVisible] == "2")
        }
    }

    /// `--log-format json`: the failure is one JSON object with the message, the exit status
    /// and stderr tail of the handler, and what happens next.
    @Test func failuresAreLoggedAsJSON() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "logged")
            let sent = try await client.sendMessage("x", to: url)
            let listened = try await runCLI(ListenCommand.self, [
                "-q", "logged", "--endpoint", server.endpoint, "--wait", "1", "--count", "1", "--log-format", "json",
                "--on-failure", "delay:30", "--exec", "echo starting; echo 'line one' >&2; echo 'disk full' >&2; exit 3",
            ])
            let objects = listened.err.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
            #expect(objects.count == listened.err.count, "every line is a JSON object: \(listened.err)")
            let failure = try #require(objects.first { $0["level"] == "error" })
            #expect(failure["messageId"] == sent.messageId)
            #expect(failure["receiveCount"] == "1")
            #expect(failure["queue"] == url)
            #expect(failure["cause"] == "handler failed: echo starting; echo 'line one' >&2; echo 'disk full' >&2; exit 3: exit status 3; stderr: line one\ndisk full")
            #expect(failure["next"] == "released with delay 30 s")
            #expect(objects.contains { $0["message"] == "consumer started" && $0["level"] == "info" })
        }
    }

    @Test func expressionFailureIsLoggedAsText() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "texted")
            _ = try await client.sendMessage("{}", to: url)
            let listened = try await runCLI(ListenCommand.self, [
                "-q", "texted", "--endpoint", server.endpoint, "--wait", "1", "--count", "1", "--on-failure", "wait",
                "--when", "=frobnicate(body)",
            ])
            let line = try #require(listened.err.first { $0.contains(" error ") }, "\(listened.err)")
            #expect(line.contains(#"message failed: activation condition =frobnicate(body) failed at 1:2: unknown function "frobnicate""#), "\(line)")
            #expect(line.contains(#"next="left to time out""#), "\(line)")
            #expect(line.contains(#"position=1:2"#), "\(line)")
        }
    }

    @Test func servesPrometheusMetricsWhileListening() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "metered")
            let captured = Captured()
            let listening = Task {
                try await runCLI(ListenCommand.self, ["-q", "metered", "--endpoint", server.endpoint, "--wait", "1",
                                                      "--count", "3", "--metrics-port", "0"], capturing: captured)
            }
            var port: Int?
            _ = try await waitFor {
                port = captured.err.lazy.compactMap { line in
                    line.range(of: "metricsPort=").flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) }
                }.first
                return port != nil
            }
            let metricsPort = try #require(port, "no metrics line in \(captured.err)")
            for body in ["a", "b"] { _ = try await client.sendMessage(body, to: url) }
            #expect(try await waitFor {
                let text = Self.get(port: metricsPort, path: "/metrics")
                return text?.contains("wharf_consumer_messages_processed_total{queue=\"metered\"} 2") == true
            })
            let text = try #require(Self.get(port: metricsPort, path: "/metrics"))
            let metrics = try PrometheusText.parse(text)
            #expect(metrics.samples["wharf_consumer_messages_received_total{queue=\"metered\"}"] == 2)
            #expect(metrics.samples["wharf_consumer_handler_duration_seconds_count{queue=\"metered\"}"] == 2)
            #expect(Sockets.getStatus(port: metricsPort, path: "/other") == 404)
            _ = try await client.sendMessage("last", to: url)
            try await listening.value
            #expect(Sockets.getStatus(port: metricsPort, path: "/metrics") == nil, "closed when listen returns")
        }
    }

    @Test func unwrapsSNSAndShowsOnlySelectedAttributes() async throws {
        try await withWharf { server in
            let client = server.client()
            let url = try await client.createQueue(named: "fanout")
            let envelope = #"{"Type": "Notification", "MessageId": "n1", "TopicArn": "arn:aws:sns:us-east-1:000000000000:t", "Message": "{\"id\": 7}", "Timestamp": "2024-05-01T12:00:00.000Z", "MessageAttributes": {"kind": {"Type": "String", "Value": "order"}, "other": {"Type": "String", "Value": "x"}}}"#
            _ = try await client.sendMessage(envelope, to: url, messageAttributes: ["hidden": .string("h")])
            let listened = try await runCLI(ListenCommand.self, [
                "-q", "fanout", "--endpoint", server.endpoint, "--wait", "1", "--count", "1", "--unwrap-sns",
                "--attribute-name", "SentTimestamp", "--message-attribute-name", "kind,hidden",
                "--when", #"=messageAttributes.kind.stringValue = "order""#,
            ])
            let value = try FEELValue(jsonString: try #require(listened.out.first, "\(listened.err)"))
            #expect(value["body"]?["id"] == 7)
            #expect(value["sns"]?["topicArn"] == "arn:aws:sns:us-east-1:000000000000:t")
            guard case .context(let attributes)? = value["attributes"], case .context(let messageAttributes)? = value["messageAttributes"] else {
                Issue.record("\(value)"); return
            }
            #expect(attributes.entries.map(\.key) == ["SentTimestamp"])
            #expect(messageAttributes.entries.map(\.key).sorted() == ["hidden", "kind"])
        }
    }

    /// A GET's body, or nil if nothing answers.
    static func get(port: Int, path: String) -> String? {
        guard let fd = Sockets.dial(port: port) else { return nil }
        defer { close(fd) }
        Sockets.write(fd, Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        guard let response = Sockets.readMessage(fd), let end = response.range(of: "\r\n\r\n") else { return nil }
        return String(response[end.upperBound...])
    }
}
