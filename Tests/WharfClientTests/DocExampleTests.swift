import Foundation
import SQSModel
import Testing
import WharfClient
import WharfTestSupport

/// The examples of WharfClient's documentation, compiled: each stands below, verbatim, in a
/// function that is never called and whose parameters are what the example takes as given
/// (`sqs`, `queueURL`, `messages` …). The test fails when a doc comment holds a Swift example
/// that is not here. Change a doc comment and this file together.
@Suite struct DocExampleTests {
    @Test func everyDocumentationExampleIsCompiledHere() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/WharfClient")
        var snippets: [CodeSnippets.Snippet] = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for file in files.sorted() where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            snippets += CodeSnippets.docComments(text, origin: "Sources/WharfClient/\(file)")
        }
        #expect(snippets.count >= 45)
        let missing = CodeSnippets.missing(snippets, in: try String(contentsOfFile: #filePath, encoding: .utf8))
        #expect(missing.isEmpty, "examples not compiled in DocExampleTests.swift:\n\(missing.map(\.description).joined(separator: "\n\n"))")
    }
}

// MARK: SQSClient.swift

private func sqsClient() async throws {
    let sqs = SQSClient(region: "us-east-1", endpoint: URL(string: "http://localhost:9324"))
    let queueURL = try await sqs.createQueue(named: "orders")
    try await sqs.sendMessage("hello", to: queueURL)
    for message in try await sqs.receiveMessages(from: queueURL, maxMessages: 10, waitTimeSeconds: 20) {
        print(message.id, message.body)
        try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
    }
}

private func sqsClientConfiguration() {
    var configuration = SQSClientConfiguration(region: "eu-west-1")
    configuration.profile = "consumer"
    configuration.timeout = 5
    configuration.retry = RetryPolicy(maxAttempts: 5)
    let sqs = SQSClient(configuration: configuration)
    _ = sqs
}

private func retryPolicy() {
    var configuration = SQSClientConfiguration()
    configuration.retry = RetryPolicy(maxAttempts: 1)   // no retries
    configuration.retry = RetryPolicy(maxAttempts: 8, baseDelay: 0.2, maxDelay: 5)
}

private func sqsClientError(sqs: SQSClient) async {
    do throws(SQSClientError) {
        _ = try await sqs.queueURL(named: "missing")
    } catch .service(let error, let requestId) where error.code == .queueDoesNotExist {
        print("no such queue (request \(requestId ?? "?"))")
    } catch {
        print(error.code ?? "no code", error.message)
    }
}

private func checksumMismatch(sqs: SQSClient, queueURL: String) async throws {
    do throws(SQSClientError) {
        try await sqs.sendMessage("hello", to: queueURL)
    } catch .checksumMismatch(let mismatch) {
        print("\(mismatch.field) of \(mismatch.id) is not what was sent")
    }
}

// MARK: Queues

private func createQueue(sqs: SQSClient) async throws {
    let jobs = try await sqs.createQueue(named: "jobs", attributes: [.visibilityTimeout: "60"], tags: ["team": "core"])
    let steps = try await sqs.createQueue(named: "steps.fifo", attributes: [.fifoQueue: "true"])
    _ = (jobs, steps)
}

private func queueURLNamed(sqs: SQSClient) async throws {
    let queueURL = try await sqs.queueURL(named: "jobs")
    _ = queueURL
}

private func queueAttributes(sqs: SQSClient, queueURL: String) async throws {
    let attributes = try await sqs.queueAttributes(of: queueURL, names: [.approximateNumberOfMessages])
    let waiting = attributes[.approximateNumberOfMessages].flatMap { Int($0) } ?? 0
    _ = waiting
}

private func setQueueAttributes(sqs: SQSClient, queueURL: String) async throws {
    try await sqs.setQueueAttributes([.visibilityTimeout: "120", .delaySeconds: "5"], of: queueURL)
}

private func tags(sqs: SQSClient, queueURL: String) async throws {
    try await sqs.tagQueue(queueURL, with: ["env": "test"])
    try await sqs.untagQueue(queueURL, removing: ["team"])
}

private func permissions(sqs: SQSClient, queueURL: String) async throws {
    try await sqs.addPermission("partner", to: queueURL, accountIds: ["111122223333"], actions: ["SendMessage"])
    try await sqs.removePermission("partner", from: queueURL)
}

private func queueAttributeName(sqs: SQSClient) async throws {
    let queueURL = try await sqs.createQueue(named: "jobs", attributes: [.visibilityTimeout: "60"])
    let attributes = try await sqs.queueAttributes(of: queueURL, names: [.queueARN, .approximateNumberOfMessages])
    print(attributes[.queueARN] ?? "?", attributes[.approximateNumberOfMessages] ?? "0")
}

private func listQueues(sqs: SQSClient) async throws {
    for try await queueURL in sqs.listQueues(prefix: "orders-") { print(queueURL) }
}

private func listDeadLetterSourceQueues(sqs: SQSClient, dlqURL: String) async throws {
    let sources = try await sqs.listDeadLetterSourceQueues(of: dlqURL).collect()
    _ = sources
}

private func queueURLs(sqs: SQSClient) async throws {
    var names: [String] = []
    for try await queueURL in sqs.listQueues() { names.append(String(queueURL.split(separator: "/").last ?? "")) }
    let orders = try await sqs.listQueues(prefix: "orders-").collect()
    _ = orders
}

// MARK: Messages

private func sendMessage(sqs: SQSClient, queueURL: String, fifoQueueURL: String) async throws {
    try await sqs.sendMessage("hello", to: queueURL)
    try await sqs.sendMessage(#"{"id": 7}"#, to: queueURL, delaySeconds: 30, messageAttributes: ["kind": "order"])
    try await sqs.sendMessage("step 1", to: fifoQueueURL, groupId: "job-9", deduplicationId: "job-9-step-1")
}

private func receiveMessages(sqs: SQSClient, queueURL: String) async throws {
    let messages = try await sqs.receiveMessages(from: queueURL, maxMessages: 10, waitTimeSeconds: 20,
                                                 systemAttributeNames: [.approximateReceiveCount])
    for message in messages {
        print(message.body)
        try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
    }
}

private func deleteMessage(sqs: SQSClient, queueURL: String, message: SQSMessage) async throws {
    try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
}

private func changeMessageVisibility(sqs: SQSClient, queueURL: String, message: SQSMessage) async throws {
    try await sqs.changeMessageVisibility(message.receiptHandle, in: queueURL, visibilityTimeout: 300)
}

private func sqsMessage(sqs: SQSClient, queueURL: String) async throws {
    for message in try await sqs.receiveMessages(from: queueURL, maxMessages: 10, waitTimeSeconds: 20,
                                                 systemAttributeNames: [.all], messageAttributeNames: ["All"]) {
        print(message.id, message.body, message.receiveCount ?? 1, message.messageAttributes["kind"]?.stringValue ?? "-")
        try await sqs.deleteMessage(message.receiptHandle, from: queueURL)
    }
}

private func messageAttribute(sqs: SQSClient, queueURL: String) async throws {
    try await sqs.sendMessage("hello", to: queueURL, messageAttributes: [
        "kind": .string("greeting"),
        "priority": .number(3),
        "thumbnail": .binary(Data([0x89, 0x50]), customType: "png"),
        "tenant": "acme",
    ])
    let messages = try await sqs.receiveMessages(from: queueURL, messageAttributeNames: ["All"])
    let kind = messages.first?.messageAttributes["kind"]?.stringValue   // "greeting"
    _ = kind
}

private func messageSystemAttributeName(sqs: SQSClient, queueURL: String) async throws {
    let messages = try await sqs.receiveMessages(from: queueURL, systemAttributeNames: [.sentTimestamp, .approximateReceiveCount])
    for message in messages {
        print(message.attributes[.sentTimestamp] ?? "?", message.receiveCount ?? 1)
    }
}

private func sendResult(sqs: SQSClient, queueURL: String, fifoQueueURL: String) async throws {
    let sent = try await sqs.sendMessage("hello", to: queueURL)
    print("sent \(sent.messageId)")
    let fifo = try await sqs.sendMessage("step 1", to: fifoQueueURL, groupId: "job-9", deduplicationId: "job-9-1")
    print(fifo.sequenceNumber ?? "-")
}

// MARK: Batches

private func sendMessages(sqs: SQSClient, queueURL: String) async throws {
    let outcome = try await sqs.sendMessages((1...25).map { "job \($0)" }, to: queueURL)
    print(outcome.successful.count, "sent,", outcome.failed.count, "failed")
}

private func outgoingMessage(sqs: SQSClient, fifoQueueURL: String) async throws {
    let orders = [OutgoingMessage(body: #"{"order": 1}"#, groupId: "customer-7"),
                  OutgoingMessage(body: #"{"order": 2}"#, groupId: "customer-7",
                                  messageAttributes: ["source": "web"])]
    let outcome = try await sqs.sendMessages(orders, to: fifoQueueURL)
    for failure in outcome.failed { print("order \(failure.index) not sent: \(failure.code)") }
}

private func deleteMessages(sqs: SQSClient, queueURL: String, messages: [SQSMessage]) async throws {
    let outcome = try await sqs.deleteMessages(messages.map(\.receiptHandle), from: queueURL)
    _ = outcome
}

private func changeMessageVisibilities(sqs: SQSClient, queueURL: String, messages: [SQSMessage]) async throws {
    _ = try await sqs.changeMessageVisibilities(messages.map(\.receiptHandle), in: queueURL, visibilityTimeout: 120)
}

private func batchOutcome(sqs: SQSClient, queueURL: String, messages: [SQSMessage]) async throws {
    let handles = messages.map(\.receiptHandle)
    let outcome = try await sqs.deleteMessages(handles, from: queueURL)
    for failure in outcome.failed {
        print("not deleted: \(messages[failure.index].id): \(failure.code)")
    }
}

private func batchEntryFailure(sqs: SQSClient, queueURL: String) async throws {
    let outcome = try await sqs.sendMessages(["a", "b"], to: queueURL)
    if let failure = outcome.failed.first {
        print("entry \(failure.index): \(failure.code) \(failure.message ?? "")",
              failure.senderFault ? "(fix the entry)" : "(retry it)")
    }
}

private func sentBatchEntry(sqs: SQSClient, queueURL: String) async throws {
    let bodies = ["first", "second"]
    let outcome = try await sqs.sendMessages(bodies, to: queueURL)
    for sent in outcome.successful { print(bodies[sent.index], "is", sent.result.messageId) }
}

private func visibilityChange(sqs: SQSClient, queueURL: String, first: SQSMessage, second: SQSMessage) async throws {
    // Give the first message another minute and release the second at once.
    let changes = [VisibilityChange(receiptHandle: first.receiptHandle, visibilityTimeout: 60),
                   VisibilityChange(receiptHandle: second.receiptHandle, visibilityTimeout: 0)]
    let outcome = try await sqs.changeMessageVisibilities(changes, in: queueURL)
    _ = outcome
}

// MARK: Move tasks

private func startMessageMoveTask(sqs: SQSClient, dlqURL: String) async throws {
    let dlqARN = try await sqs.queueAttributes(of: dlqURL, names: [.queueARN])[.queueARN]!
    let handle = try await sqs.startMessageMoveTask(sourceARN: dlqARN)
    _ = handle
}

private func listMessageMoveTasks(sqs: SQSClient, dlqARN: String) async throws {
    for task in try await sqs.listMessageMoveTasks(sourceARN: dlqARN) {
        print(task.status ?? .running, task.approximateNumberOfMessagesMoved ?? 0)
    }
}

private func messageMoveTask(sqs: SQSClient, dlqARN: String) async throws {
    let handle = try await sqs.startMessageMoveTask(sourceARN: dlqARN, maxNumberOfMessagesPerSecond: 50)
    for task in try await sqs.listMessageMoveTasks(sourceARN: dlqARN) where task.status == .running {
        print(task.approximateNumberOfMessagesMoved ?? 0, "of", task.approximateNumberOfMessagesToMove ?? 0)
    }
    try await sqs.cancelMessageMoveTask(handle)
}

// MARK: Credentials

private func awsCredentials() {
    let keys = AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret")
    let sqs = SQSClient(region: "eu-west-1", credentials: StaticCredentialsProvider(keys))
    _ = sqs
}

private func credentialsProvider() {
    struct VaultCredentials: CredentialsProvider {
        func credentials() async throws(SQSClientError) -> AWSCredentials {
            AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "from-the-vault")
        }
    }
    let sqs = SQSClient(credentials: CachingCredentialsProvider(VaultCredentials()))
    _ = sqs
}

private func staticCredentialsProvider() {
    let sqs = SQSClient(endpoint: URL(string: "http://localhost:9324"),
                        credentials: StaticCredentialsProvider(accessKeyId: "test", secretAccessKey: "test"))
    _ = sqs
}

private func environmentCredentialsProvider() {
    let sqs = SQSClient(credentials: EnvironmentCredentialsProvider())   // the environment's keys, nothing else
    _ = sqs
}

private func closureCredentialsProvider() {
    let fetched = ClosureCredentialsProvider { () async throws(SQSClientError) -> AWSCredentials in
        AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret", expiration: Date().addingTimeInterval(3600))
    }
    let sqs = SQSClient(credentials: CachingCredentialsProvider(fetched))
    _ = sqs
}

private func chainCredentialsProvider() {
    let chain = ChainCredentialsProvider([EnvironmentCredentialsProvider(), ProfileCredentialsProvider(profile: "ci")])
    let sqs = SQSClient(credentials: CachingCredentialsProvider(chain))
    // What SQSClient() uses, for another profile:
    let standard = CachingCredentialsProvider(ChainCredentialsProvider.default(profile: "consumer"))
    _ = (sqs, standard)
}

private func cachingCredentialsProvider() {
    let login = CachingCredentialsProvider(ProcessCredentialsProvider(command: "corp-login --aws"), refreshMargin: 600)
    let sqs = SQSClient(credentials: login)
    _ = sqs
}

private func assumeRoleCredentialsProvider() {
    let role = AssumeRoleCredentialsProvider(roleARN: "arn:aws:iam::123456789012:role/orders-consumer",
                                             source: ProfileCredentialsProvider(profile: "ci"), externalId: "wharf-orders")
    let sqs = SQSClient(region: "eu-west-1", credentials: CachingCredentialsProvider(role))
    _ = sqs
}

private func webIdentityCredentialsProvider() {
    // In an EKS pod whose service account has a role: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set.
    let sqs = SQSClient(credentials: CachingCredentialsProvider(WebIdentityCredentialsProvider()))
    _ = sqs
}

private func processCredentialsProvider() {
    let login = ProcessCredentialsProvider(command: "corp-login --print-aws-credentials", timeout: 30)
    let sqs = SQSClient(credentials: CachingCredentialsProvider(login))
    _ = sqs
}

private func profileCredentialsProvider() {
    let sqs = SQSClient(credentials: CachingCredentialsProvider(ProfileCredentialsProvider(profile: "consumer")))
    _ = sqs
}

private func profileFiles() {
    let environment = ProcessInfo.processInfo.environment
    let profile = ProfileFiles.profileName(nil, environment: environment)   // AWS_PROFILE, else "default"
    let region = ProfileFiles(environment: environment).settings(of: profile)["region"]
    _ = region
}

private func containerCredentialsProvider() {
    // In an ECS task with a task role, or an EKS pod with Pod Identity.
    let sqs = SQSClient(credentials: CachingCredentialsProvider(ContainerCredentialsProvider()))
    _ = sqs
}

private func instanceMetadataCredentialsProvider() {
    // On an EC2 instance with an instance profile.
    let sqs = SQSClient(credentials: CachingCredentialsProvider(InstanceMetadataCredentialsProvider()))
    _ = sqs
}
