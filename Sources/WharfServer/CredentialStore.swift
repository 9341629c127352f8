import Foundation
import SigV4

/// The access keys the server accepts, each belonging to one account.
///
/// Configuration file (`--credentials-file`, or `WHARF_CREDENTIALS_FILE`), JSON:
/// ```json
/// {"accounts": [
///   {"accountId": "111111111111",
///    "keys": [{"accessKeyId": "AKIAEXAMPLE1", "secretAccessKey": "secret1"},
///             {"accessKeyId": "ASIAEXAMPLE2", "secretAccessKey": "secret2",
///              "sessionToken": "token", "expiration": "2026-12-01T00:00:00Z"}]}]}
/// ```
/// or a single key from the environment: `WHARF_ACCESS_KEY_ID`, `WHARF_SECRET_ACCESS_KEY`
/// (and optionally `WHARF_SESSION_TOKEN`), owned by `--account-id`.
public struct CredentialStore: Sendable {
    public struct Entry: Sendable, Equatable {
        public var accountId: String
        public var key: KnownKey
    }
    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }

    public func lookup(_ accessKeyId: String) -> Entry? { entries[accessKeyId] }

    public mutating func add(accessKeyId: String, accountId: String, key: KnownKey) {
        entries[accessKeyId] = Entry(accountId: accountId, key: key)
    }

    private struct File: Decodable {
        struct Account: Decodable {
            var accountId: String
            var keys: [Key]
        }
        struct Key: Decodable {
            var accessKeyId: String
            var secretAccessKey: String
            var sessionToken: String?
            var expiration: String?
        }
        var accounts: [Account]
    }

    public enum LoadError: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self { case .invalid(let reason): return "invalid credentials configuration: \(reason)" }
        }
    }

    /// Adds the keys of a configuration file.
    public mutating func load(file path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw LoadError.invalid("\(path): \(error)")
        }
        for account in file.accounts {
            guard account.accountId.count == 12, account.accountId.allSatisfy(\.isNumber) else {
                throw LoadError.invalid("account id \(account.accountId) must be 12 digits")
            }
            for key in account.keys {
                var expiry: Int64?
                if let text = key.expiration {
                    guard let date = ISO8601DateFormatter().date(from: text) else {
                        throw LoadError.invalid("expiration \(text) of \(key.accessKeyId) is not ISO-8601")
                    }
                    expiry = Int64(date.timeIntervalSince1970)
                }
                add(accessKeyId: key.accessKeyId, accountId: account.accountId,
                    key: KnownKey(secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken,
                                  expiresAtSeconds: expiry))
            }
        }
    }

    /// Adds the single key named by `WHARF_ACCESS_KEY_ID` / `WHARF_SECRET_ACCESS_KEY`, if set.
    public mutating func loadEnvironment(_ environment: [String: String], defaultAccount: String) {
        guard let id = environment["WHARF_ACCESS_KEY_ID"], let secret = environment["WHARF_SECRET_ACCESS_KEY"],
              !id.isEmpty, !secret.isEmpty else { return }
        add(accessKeyId: id, accountId: environment["WHARF_ACCOUNT_ID"] ?? defaultAccount,
            key: KnownKey(secretAccessKey: secret, sessionToken: environment["WHARF_SESSION_TOKEN"]))
    }
}
