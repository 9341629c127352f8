import Foundation
import NIOSSL
import PostgresNIO

/// Where the PostgreSQL store lives, from a `postgres://` URL:
///
/// ```
/// postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=prefer&schema=public&pool=20
/// ```
///
/// `sslmode` is libpq's: `disable`, `prefer` (the default: TLS when the server offers it),
/// `require` (TLS, any certificate), `verify-full` (TLS, a certificate valid for HOST).
/// `schema` is where Wharf's tables live (created if missing; several Wharf installations can
/// share a database in separate schemas). `pool` is the most connections one node opens.
public struct PostgresStoreConfiguration: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var schema: String
    public var sslMode: SSLMode
    public var maximumConnections: Int

    public enum SSLMode: String, Sendable { case disable, prefer, require, verifyFull = "verify-full" }

    public struct InvalidURL: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "invalid PostgreSQL URL: \(reason)" }
    }

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String,
                schema: String = "public", sslMode: SSLMode = .prefer, maximumConnections: Int = 20) {
        self.host = host; self.port = port; self.username = username; self.password = password
        self.database = database; self.schema = schema; self.sslMode = sslMode
        self.maximumConnections = maximumConnections
    }

    /// Parses a `postgres://` or `postgresql://` URL. Errors never repeat the password.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text),
              components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw InvalidURL(reason: "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else { throw InvalidURL(reason: "no host") }
        guard let user = components.user, !user.isEmpty else { throw InvalidURL(reason: "no user name") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw InvalidURL(reason: "no database name") }
        self.init(host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
                  password: components.password.map { $0.removingPercentEncoding ?? $0 },
                  database: database.removingPercentEncoding ?? database)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw InvalidURL(reason: "sslmode must be disable, prefer, require or verify-full")
                }
                sslMode = mode
            case "schema":
                guard Self.isPlainIdentifier(value) else {
                    throw InvalidURL(reason: "schema must be letters, digits and underscores")
                }
                schema = value
            case "pool":
                guard let count = Int(value), (1...1000).contains(count) else {
                    throw InvalidURL(reason: "pool must be a number from 1 to 1000")
                }
                maximumConnections = count
            default:
                throw InvalidURL(reason: "unknown parameter \(item.name)")
            }
        }
    }

    /// The URL with the password masked: what logs and error messages show.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?schema=\(schema)"
    }

    static func isPlainIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        return text.count <= 63 && text.unicodeScalars.allSatisfy {
            $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
    }

    /// A single connection's configuration (the bus's listener, the start-up probe).
    func connectionConfiguration(applicationName: String) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable:
            tls = .disable
        case .prefer, .require:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            let context = try NIOSSLContext(configuration: config)
            tls = sslMode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username,
                                                             password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("search_path", schema), ("application_name", applicationName)]
        return configuration
    }

    /// postgres-nio's client configuration: Wharf's schema first on the search path, short
    /// timeouts that protect the database from a stuck node (no transaction may sit idle and
    /// hold back vacuum's horizon).
    func clientConfiguration(applicationName: String) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable:
            tls = .disable
        case .prefer, .require:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = sslMode == .prefer ? .prefer(config) : .require(config)
        case .verifyFull:
            tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username,
                                                         password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [
            ("search_path", schema),
            ("application_name", applicationName),
            ("statement_timeout", "30s"),
            ("idle_in_transaction_session_timeout", "30s"),
        ]
        return configuration
    }
}
