import Foundation
import Testing
import WharfConfig

/// Reading wharf.yaml: what it may hold, and every refusal with its line.
@Suite struct ConfigFileTests {
    func refusal(_ text: String) -> ConfigError? {
        do { _ = try ConfigFile.parse(text, path: "w.yaml"); return nil } catch { return error }
    }

    @Test func readsServerSettingsAndQueues() throws {
        let file = try ConfigFile.parse("""
            server:
              port: 9400
              store: postgres://wharf@db/wharf
              access-log: yes
            queues:
              - name: orders
                attributes: { VisibilityTimeout: 60, FifoQueue: false }
                dead-letter: { queue: orders-dlq, max-receive-count: 5 }
                tags: { team: payments }
                policy:
                  Version: "2012-10-17"
                  Statement: []
              - name: orders-dlq
            """, path: "w.yaml")
        #expect(file.server.number(.port) == 9400)
        #expect(file.server.text(.store) == "postgres://wharf@db/wharf")
        #expect(file.server.flag(.accessLog) == true)
        #expect(file.queues.map(\.name) == ["orders", "orders-dlq"])
        let orders = file.queues[0]
        #expect(orders.attributes == ["VisibilityTimeout": "60", "FifoQueue": "false"])
        #expect(orders.deadLetter == .init(queue: "orders-dlq", maxReceiveCount: 5))
        #expect(orders.tags == ["team": "payments"])
        #expect(orders.policy == #"{"Statement":[],"Version":"2012-10-17"}"#)
        #expect(orders.line == 6)
    }

    @Test func anEmptyFileDeclaresNothing() throws {
        #expect(try ConfigFile.parse("", path: "w.yaml") == ConfigFile())
        #expect(try ConfigFile.parse("# only a comment\n", path: "w.yaml") == ConfigFile())
    }

    @Test(arguments: [
        ("servr:\n  port: 1\n", 1, "unknown key servr in the file"),
        ("server:\n  port: high\n", 2, "port must be a whole number"),
        ("server:\n  port: 70000\n", 2, "port must be 1...65535"),
        ("server:\n  access-log: maybe\n", 2, "access-log must be true or false"),
        ("server:\n  colour: blue\n", 2, "unknown key colour in server"),
        ("queues:\n  name: a\n", 2, "queues must be a list"),
        ("queues:\n  - attributes: {}\n", 2, "a queue needs a name"),
        ("queues:\n  - name: a\n  - name: a\n", 3, "queue a is declared twice"),
        ("queues:\n  - name: a\n    dead-letter: { queue: b }\n", 3, "dead-letter needs queue and max-receive-count"),
        ("queues:\n  - name: a\n    dead-letter: { queue: b, max-receive-count: 2 }\n", 2,
         "dead-letter queue b of a is not declared in this file"),
        ("queues:\n  - name: a\n    tags: [x]\n", 3, "tags must be a mapping"),
        ("queues:\n  - name: a\n    attributes: { DelaySeconds: [1] }\n", 3, "attributes.DelaySeconds must be a single value"),
        ("queues:\n  - name: [a\n", 3, "is not valid YAML"),
    ])
    func refusesWithTheLine(text: String, line: Int, reason: String) {
        let error = refusal(text)
        #expect(error?.line == line, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("w.yaml:\(line): ") == true)
    }

    @Test func theSameNameInAnotherRegionIsAnotherQueue() throws {
        let file = try ConfigFile.parse("queues:\n  - name: a\n  - name: a\n    region: eu-west-1\n", path: "w.yaml")
        #expect(file.queues.count == 2)
    }

    @Test func aMissingFileIsRefused() {
        #expect(throws: ConfigError.self) { try ConfigFile.load(path: "/nonexistent/wharf.yaml") }
    }
}

/// Flags over environment over file over defaults.
@Suite struct ServerSettingsTests {
    @Test func layersInOrder() throws {
        var flags = ServerSettings()
        try flags.set(.port, "1111")
        let environment = try ServerSettings(environment: ["WHARF_PORT": "2222", "WHARF_DATA_DIR": "/env",
                                                           "WHARF_ACCESS_LOG": "1", "PATH": "/bin"])
        let file = try ConfigFile.parse("server:\n  port: 3333\n  data-dir: /file\n  host: 0.0.0.0\n", path: "w").server
        let merged = flags.over(environment).over(file)
        #expect(merged.number(.port) == 1111)
        #expect(merged.text(.dataDir) == "/env")
        #expect(merged.text(.host) == "0.0.0.0")
        #expect(merged.flag(.accessLog) == true)
        #expect(merged.text(.store) == nil)
    }

    @Test func environmentNamesFollowTheKeys() {
        #expect(ServerSetting.dataDir.environmentName == "WHARF_DATA_DIR")
        #expect(ServerSetting.maxInflightMessages.environmentName == "WHARF_MAX_INFLIGHT_MESSAGES")
    }

    @Test func badEnvironmentValuesNameTheVariable() {
        do {
            _ = try ServerSettings(environment: ["WHARF_GAUGE_INTERVAL": "soon"])
            Issue.record("accepted")
        } catch {
            #expect(error.description == "WHARF_GAUGE_INTERVAL: gauge-interval must be a whole number")
        }
    }
}

/// The README's example file is a file Wharf accepts.
@Suite struct ReadmeExampleTests {
    @Test func theReadmeExampleIsAccepted() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "```yaml\nserver:\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let yaml = String(text[start.upperBound..<end.lowerBound])
        let file = try ConfigFile.parse("server:\n" + yaml, path: "README.md")
        #expect(file.queues.count == 4)
        try QueueDeclarations(file.queues, defaultAccount: "000000000000", defaultRegion: "us-east-1").validate(path: "README.md")
    }
}
