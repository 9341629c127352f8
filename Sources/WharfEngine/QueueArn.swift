/// A queue ARN, `arn:<partition>:sqs:<region>:<account>:<name>`.
struct QueueArn {
    var key: QueueKey

    init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", !parts[3].isEmpty, !parts[4].isEmpty,
              !parts[5].isEmpty else { return nil }
        key = QueueKey(account: String(parts[4]), region: String(parts[3]), name: String(parts[5]))
    }
}
