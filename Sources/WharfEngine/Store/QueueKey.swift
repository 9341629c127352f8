/// Where a queue lives: account, region and name together identify it. The same name in two
/// regions (taken from the SigV4 scope) is two queues, as on AWS.
public struct QueueKey: Hashable, Sendable, CustomStringConvertible {
    public var account: String
    public var region: String
    public var name: String
    public init(account: String, region: String, name: String) {
        self.account = account; self.region = region; self.name = name
    }
    public var arn: String { "arn:aws:sqs:\(region):\(account):\(name)" }
    public var description: String { arn }
}
