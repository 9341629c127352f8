import Foundation
import SQSModel
import Testing
import WharfExpression
@testable import WharfConsumer

/// Batch partial failures, SNS unwrapping, attribute selection and the Prometheus output.
@Suite struct ConnectorFeatureTests {
    @Test func batchPartialFailuresReleaseOnlyTheReportedMessages() async throws {
        let transport = FakeTransport()
        transport.add((1...4).map { makeMessage("m\($0)") })
        let batches = Recorder<[String]>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration { $0.onFailure = .releaseAfter(seconds: 5) },
                                handler: .batch { messages in
            batches.append(messages.map(\.messageId))
            return BatchResult(failedMessageIds: ["m2", "m4"])
        })
        let events = collectEvents(consumer)
        let counters = try await runConsumer(consumer) { $0.processed + $0.failed == 4 }
        #expect(batches.values == [["m1", "m2", "m3", "m4"]])
        #expect(counters.processed == 2 && counters.failed == 2)
        try await Task.sleep(for: .milliseconds(50))
        #expect(Set(transport.deletedIds) == ["m1", "m3"])
        #expect(Set(transport.visibilityChanges.map(\.id)) == ["m2", "m4"])
        #expect(transport.visibilityChanges.allSatisfy { $0.timeout == 5 })
        let failures = await events.value.failures
        #expect(Set(failures.map(\.message.messageId)) == ["m2", "m4"])
        #expect(failures.allSatisfy { $0.cause == .reportedByBatchHandler })
    }

    /// As Lambda: an id that is not in the batch makes the whole batch fail.
    @Test func batchResultNamingAnUnknownIdFailsTheBatch() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("a"), makeMessage("b")])
        let consumer = Consumer(transport: transport, configuration: testConfiguration(), handler: .batch { _ in
            BatchResult(failedMessageIds: ["a", "zzz"])
        })
        let events = collectEvents(consumer)
        let counters = try await runConsumer(consumer) { $0.failed == 2 }
        #expect(counters.processed == 0)
        let failures = await events.value.failures
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.cause == .handler("the batch result names message ids not in the batch: zzz") })
    }

    @Test func lambdaBatchResponses() throws {
        func parse(_ text: String) throws -> Set<String> { try BatchResult(lambdaResponse: Data(text.utf8)).failedMessageIds }
        #expect(try parse("") == [])
        #expect(try parse("null\n") == [])
        #expect(try parse("{}") == [])
        #expect(try parse(#"{"batchItemFailures": null}"#) == [])
        #expect(try parse(#"{"batchItemFailures": []}"#) == [])
        #expect(try parse(#"{"batchItemFailures": [{"itemIdentifier": "x"}, {"itemIdentifier": "y"}]}"#) == ["x", "y"])
        for bad in ["not json", "[1]", #"{"batchItemFailures": "x"}"#, #"{"batchItemFailures": [{"itemIdentifier": ""}]}"#,
                    #"{"batchItemFailures": [{"id": "x"}]}"#, #"{"batchItemFailures": [{"itemIdentifier": null}]}"#] {
            #expect(throws: BatchResponseError.self, "\(bad)") { try parse(bad) }
        }
    }

    static let snsBody = #"""
        {"Type": "Notification", "MessageId": "sns-1", "TopicArn": "arn:aws:sns:us-east-1:000000000000:orders",
         "Subject": "new order", "Message": "{\"id\": 42, \"total\": 120.5}", "Timestamp": "2024-05-01T12:00:00.000Z",
         "SignatureVersion": "1", "Signature": "x", "SigningCertURL": "https://sns/cert.pem", "UnsubscribeURL": "https://sns/u",
         "MessageAttributes": {"kind": {"Type": "String", "Value": "order"}, "priority": {"Type": "Number", "Value": "3"},
                               "blob": {"Type": "Binary", "Value": "AQI="}}}
        """#

    @Test func snsEnvelopesAreUnwrapped() throws {
        let message = makeMessage("m", body: Self.snsBody,
                                  attributes: ["kind": .string("sqs-side"),
                                               "sqsOnly": .string("kept")])
        let object = MessageObject.make(message, queueURL: "u", queueARN: nil, region: nil,
                                        options: .init(unwrapSNS: true))
        #expect(object["body"]?["id"] == 42)
        #expect(object["rawBody"] == .string(#"{"id": 42, "total": 120.5}"#))
        #expect(object["messageAttributes"]?["kind"]?["stringValue"] == "order", "SNS's attributes win")
        #expect(object["messageAttributes"]?["priority"]?["dataType"] == "Number")
        #expect(object["messageAttributes"]?["blob"]?["binaryValue"] == "AQI=")
        #expect(object["messageAttributes"]?["sqsOnly"]?["stringValue"] == "kept")
        #expect(object["sns"]?["topicArn"] == "arn:aws:sns:us-east-1:000000000000:orders")
        #expect(object["sns"]?["subject"] == "new order")
        // Off by default, and a body that is not an envelope is left alone.
        #expect(MessageObject.make(message, queueURL: "u", queueARN: nil, region: nil)["body"]?["Type"] == "Notification")
        let plain = MessageObject.make(makeMessage("p", body: #"{"Type": "Other", "TopicArn": "x", "Message": "m"}"#),
                                       queueURL: "u", queueARN: nil, region: nil, options: .init(unwrapSNS: true))
        #expect(plain["body"]?["Type"] == "Other")
        #expect(plain["sns"] == nil)
    }

    @Test func conditionSeesTheUnwrappedMessage() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m", body: Self.snsBody)])
        let totals = Recorder<FEELValue>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.unwrapSNS = true
            $0.condition = try! FEELExpression(parsing: #"=messageAttributes.kind.stringValue = "order" and body.total > 100"#)
        }, handler: .single { totals.append($0.body["total"] ?? .null) })
        try await runConsumer(consumer) { $0.processed == 1 }
        #expect(totals.values == [120.5])
    }

    /// What the condition may see is what was selected; the consumer still asks for the
    /// attributes it needs itself.
    @Test func attributeSelectionLimitsTheMessageObject() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("m", attributes: [
            "tenant": .string("acme"),
            "trace.id": .string("t1"),
            "secret": .string("s"),
        ])])
        let objects = Recorder<FEELValue>()
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.systemAttributeNames = [.sentTimestamp]
            $0.messageAttributeNames = ["tenant", "trace.*"]
        }, handler: .single { objects.append($0.object) })
        try await runConsumer(consumer) { $0.processed == 1 }
        let request = try #require(transport.receives.first)
        #expect(request.systemAttributeNames == [.sentTimestamp, .approximateReceiveCount, .messageGroupId])
        #expect(request.messageAttributeNames == ["tenant", "trace.*"])
        let object = try #require(objects.values.first)
        guard case .context(let attributes)? = object["attributes"], case .context(let messageAttributes)? = object["messageAttributes"] else {
            Issue.record("no attributes in \(object)"); return
        }
        #expect(attributes.entries.map(\.key) == ["SentTimestamp"])
        #expect(messageAttributes.entries.map(\.key).sorted() == ["tenant", "trace.id"])

        // Empty lists mean All, as in Camunda's connector.
        var all = testConfiguration()
        all.systemAttributeNames = []
        all.messageAttributeNames = []
        #expect(all.requestedSystemAttributes == [.all])
        #expect(all.requestedMessageAttributes == ["All"])
    }

    /// The exposition parses as Prometheus text: HELP and TYPE for every family, counters equal
    /// to the consumer's, histogram buckets cumulative and ending in +Inf = count.
    @Test func prometheusExpositionParses() async throws {
        let transport = FakeTransport()
        transport.add([makeMessage("a"), makeMessage("b"), makeMessage("c", body: #"{"skip": true}"#)])
        let consumer = Consumer(transport: transport, configuration: testConfiguration {
            $0.condition = try! FEELExpression(parsing: "=body.skip != true")
        }, handler: .single { message in
            if message.messageId == "b" { throw TestFailure() }
            try await Task.sleep(for: .milliseconds(30))
        })
        let counters = try await runConsumer(consumer) { $0.processed + $0.failed + $0.unmatched == 3 }
        let text = PrometheusExposition.render(counters: counters, latency: consumer.handlerLatency, queue: #"q"x"#)
        let metrics = try PrometheusText.parse(text)
        let label = #"queue="q\"x""#
        #expect(metrics.samples["wharf_consumer_messages_received_total{\(label)}"] == 3)
        #expect(metrics.samples["wharf_consumer_messages_processed_total{\(label)}"] == 1)
        #expect(metrics.samples["wharf_consumer_messages_failed_total{\(label)}"] == 1)
        #expect(metrics.samples["wharf_consumer_messages_unmatched_total{\(label)}"] == 1)
        #expect(metrics.samples["wharf_consumer_messages_deleted_total{\(label)}"] == Double(counters.deleted))
        #expect(metrics.samples["wharf_consumer_empty_polls_total{\(label)}"] == Double(counters.emptyPolls))
        #expect(metrics.samples["wharf_consumer_poll_errors_total{\(label)}"] == 0)
        #expect(metrics.types["wharf_consumer_handler_duration_seconds"] == "histogram")
        #expect(metrics.types["wharf_consumer_messages_in_flight"] == "gauge")
        #expect(Set(metrics.types.keys) == Set(metrics.helps.keys))
        let buckets = metrics.samples.filter { $0.key.hasPrefix("wharf_consumer_handler_duration_seconds_bucket") }
        #expect(buckets.count == LatencyHistogram.defaultBounds.count + 1)
        let ordered = LatencyHistogram.defaultBounds.map { PrometheusExposition.number($0) } + ["+Inf"]
        let values = ordered.map { buckets["wharf_consumer_handler_duration_seconds_bucket{\(label),le=\"\($0)\"}"] ?? -1 }
        #expect(values == values.sorted(), "cumulative")
        #expect(values.last == 2)
        #expect(metrics.samples["wharf_consumer_handler_duration_seconds_count{\(label)}"] == 2)
        // The 30 ms handler is not in the 25 ms bucket but is in the 50 ms one... unless the
        // machine is slow; the sum at least counts it.
        #expect((metrics.samples["wharf_consumer_handler_duration_seconds_sum{\(label)}"] ?? 0) >= 0.03)
    }
}

/// A strict reader of the Prometheus text format for the test: every line is a comment
/// (`# HELP name text`, `# TYPE name type`) or `name{labels} value`; anything else throws.
struct PrometheusText {
    var samples: [String: Double] = [:]
    var types: [String: String] = [:]
    var helps: [String: String] = [:]

    struct Malformed: Error { var line: String }

    static func parse(_ text: String) throws -> PrometheusText {
        var result = PrometheusText()
        guard text.hasSuffix("\n") else { throw Malformed(line: "no final newline") }
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard parts.count == 4 else { throw Malformed(line: line) }
                if parts[1] == "TYPE" {
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw Malformed(line: line) }
                    result.types[parts[2]] = parts[3]
                } else {
                    result.helps[parts[2]] = parts[3]
                }
                continue
            }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw Malformed(line: line)
            }
            let series = String(line[..<space])
            let name = series.split(separator: "{").first.map(String.init) ?? series
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }),
                  series == name || (series.hasSuffix("}") && series.contains("{")) else { throw Malformed(line: line) }
            let family = ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) && result.types[String(name.dropLast($0.count))] == "histogram" }
                .map { String(name.dropLast($0.count)) } ?? name
            guard result.types[family] != nil else { throw Malformed(line: "sample before its TYPE: \(line)") }
            result.samples[series] = value
        }
        return result
    }
}
