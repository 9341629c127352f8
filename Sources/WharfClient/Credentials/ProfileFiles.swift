import Foundation

/// The shared AWS files: `~/.aws/credentials` (sections `[name]`) and `~/.aws/config`
/// (sections `[default]` and `[profile name]`), at the paths `AWS_SHARED_CREDENTIALS_FILE` and
/// `AWS_CONFIG_FILE` override. Read on demand so edits are seen after a cache refresh.
///
/// ```swift
/// let environment = ProcessInfo.processInfo.environment
/// let profile = ProfileFiles.profileName(nil, environment: environment)   // AWS_PROFILE, else "default"
/// let region = ProfileFiles(environment: environment).settings(of: profile)["region"]
/// ```
public struct ProfileFiles: Sendable {
    public var credentialsPath: String
    public var configPath: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func expand(_ path: String) -> String {
            path.hasPrefix("~/") ? home + path.dropFirst() : path
        }
        credentialsPath = expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
        configPath = expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config")
    }

    /// The profile name in effect: explicit, else `AWS_PROFILE`, else `default`.
    public static func profileName(_ explicit: String?, environment: [String: String]) -> String {
        explicit ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    /// The settings of one profile: config-file keys, overridden by the credentials file's
    /// (the CLI's precedence). Keys are lower-cased.
    public func settings(of profile: String) -> [String: String] {
        let config = Self.parse(read(configPath), configFile: true)[profile] ?? [:]
        let credentials = Self.parse(read(credentialsPath), configFile: false)[profile] ?? [:]
        return config.merging(credentials) { _, fromCredentials in fromCredentials }
    }

    func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// INI as the AWS CLI reads it: `#`/`;` comments, `key = value`, indented lines belong to a
    /// nested block (e.g. `s3 =`) and are skipped. In the config file a section names a
    /// profile only as `[default]` or `[profile name]`.
    static func parse(_ text: String, configFile: Bool) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if !configFile || name == "default" {
                    current = name
                } else if name.hasPrefix("profile ") || name.hasPrefix("profile\t") {
                    current = name.dropFirst("profile".count).trimmingCharacters(in: .whitespaces)
                } else {
                    current = nil  // e.g. [sso-session x], [services x]
                }
                continue
            }
            guard let section = current, rawLine.first?.isWhitespace != true,
                  let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key] = value
        }
        return sections
    }
}
