import Yams

/// One `wharf serve` setting: its key in the file's `server:` section, which is also the flag
/// (`--data-dir`) and, upper-cased after `WHARF_`, the environment variable (`WHARF_DATA_DIR`).
public enum ServerSetting: String, CaseIterable, Sendable {
    case host, port, store
    case dataDir = "data-dir"
    case accountId = "account-id"
    case defaultRegion = "default-region"
    case publicURL = "public-url"
    case credentialsFile = "credentials-file"
    case maxConnections = "max-connections"
    case idleTimeout = "idle-timeout"
    case maxInflightMessages = "max-inflight-messages"
    case tlsCertificate = "tls-certificate"
    case tlsKey = "tls-key"
    case logLevel = "log-level"
    case logFormat = "log-format"
    case accessLog = "access-log"
    case metrics
    case metricsToken = "metrics-token"
    case gaugeInterval = "gauge-interval"
    case shutdownTimeout = "shutdown-timeout"
    case minFreeDisk = "min-free-disk"

    public enum Kind: Sendable { case text, number, flag, diskFloor }

    public var kind: Kind {
        switch self {
        case .port, .maxConnections, .idleTimeout, .maxInflightMessages, .gaugeInterval, .shutdownTimeout: .number
        case .accessLog, .metrics: .flag
        case .minFreeDisk: .diskFloor
        default: .text
        }
    }

    public var environmentName: String { "WHARF_" + rawValue.uppercased().replacingOccurrences(of: "-", with: "_") }
}

/// Settings from one source (flags, environment, file), each value checked against its kind.
/// Sources are layered: `flags.over(environment).over(file)`; what none sets keeps the default.
public struct ServerSettings: Sendable, Equatable {
    public private(set) var values: [ServerSetting: String] = [:]

    public init() {}

    /// Sets a value (nil leaves the setting unset), checking it against the setting's kind.
    public mutating func set(_ setting: ServerSetting, _ value: String?) throws(ConfigError) {
        guard let value else { values[setting] = nil; return }
        if let problem = Self.problem(setting, value) { throw ConfigError(path: setting.rawValue, line: nil, reason: problem) }
        values[setting] = value
    }

    /// The `WHARF_*` variables of an environment.
    public init(environment: [String: String]) throws(ConfigError) {
        for setting in ServerSetting.allCases {
            guard let value = environment[setting.environmentName] else { continue }
            if let problem = Self.problem(setting, value) {
                throw ConfigError(path: setting.environmentName, line: nil, reason: problem)
            }
            values[setting] = value
        }
    }

    /// These settings, and `lower`'s where these have none.
    public func over(_ lower: ServerSettings) -> ServerSettings {
        var merged = lower
        merged.values.merge(values) { _, mine in mine }
        return merged
    }

    public func text(_ setting: ServerSetting) -> String? { values[setting] }
    public func number(_ setting: ServerSetting) -> Int? { values[setting].flatMap { Int($0) } }
    public func flag(_ setting: ServerSetting) -> Bool? { values[setting].flatMap(Self.parseFlag) }
    public func diskFloor(_ setting: ServerSetting) -> DiskFloor? { values[setting].flatMap { DiskFloor($0) } }

    static func parseFlag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    static func problem(_ setting: ServerSetting, _ value: String) -> String? {
        switch setting.kind {
        case .text: return nil
        case .diskFloor:
            return DiskFloor(value) == nil
                ? "\(setting.rawValue) must be a size (500MB, 1GiB, a number of bytes) or a share of the disk (5%)" : nil
        case .flag: return parseFlag(value) == nil ? "\(setting.rawValue) must be true or false" : nil
        case .number:
            guard let number = Int(value) else { return "\(setting.rawValue) must be a whole number" }
            if setting == .port && !(1...65535).contains(number) { return "port must be 1...65535" }
            return number < 0 ? "\(setting.rawValue) must not be negative" : nil
        }
    }

    /// The `server:` section of a file.
    init(_ node: Node, reader: inout NodeReader) throws(ConfigError) {
        let map = try reader.mapping(node, allowed: Set(ServerSetting.allCases.map(\.rawValue)), what: "server")
        for (key, valueNode) in map {
            let setting = ServerSetting(rawValue: key)!
            let value = try reader.string(valueNode, what: key)
            if let problem = Self.problem(setting, value) { throw reader.fail(valueNode, problem) }
            values[setting] = value
        }
    }
}
