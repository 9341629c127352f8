// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "wharf",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wharf", targets: ["wharf"]),
        .library(name: "SQSModel", targets: ["SQSModel"]),
        .library(name: "SQSDigest", targets: ["SQSDigest"]),
        .library(name: "WharfEngine", targets: ["WharfEngine"]),
        .library(name: "SigV4", targets: ["SigV4"]),
        .library(name: "WharfProtocol", targets: ["WharfProtocol"]),
        .library(name: "WharfExpression", targets: ["WharfExpression"]),
        .library(name: "WharfClient", targets: ["WharfClient"]),
        .library(name: "WharfConsumer", targets: ["WharfConsumer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // The 23 operations as typed values, attribute types and SQSError, and the size and limit
        // rules the engine and the client share: no I/O, no storage.
        .target(name: "SQSModel", swiftSettings: strict),
        // The MD5s SQS puts on messages (and the FIFO content-based SHA-256): one implementation
        // for the server, which computes them, and the client, which checks them.
        .target(name: "SQSDigest", dependencies: ["SQSModel", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        // SQS semantics over the MessageStore protocol: validation, visibility, long polling, MD5s.
        .target(
            name: "WharfEngine",
            dependencies: [
                "SQSModel", "SQSDigest",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The embedded durable store: SQLite through GRDB, WAL + synchronous=FULL, group commit.
        .target(
            name: "WharfSQLite",
            dependencies: ["WharfEngine", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The shared store for several stateless nodes: PostgreSQL through postgres-nio (slow to
        // build, docs/stack.md#build-times: only this target, the executable and the store tests
        // depend on it).
        .target(
            name: "WharfPostgres",
            dependencies: ["WharfEngine",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict
        ),
        // SigV4: canonical request, signing and verification; one implementation for both sides.
        .target(
            name: "SigV4",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // AWS JSON 1.0 and Query/XML: bytes <-> SQSModel values, errors in both envelopes.
        .target(name: "WharfProtocol", dependencies: ["SQSModel"], swiftSettings: strict),
        // The HTTP server: Hummingbird's listener, TLS and lifecycle; requests served from a NIO
        // channel handler (SQSChannelHandler and its ConnectionStateMachine); protocol detection,
        // authentication, dispatch.
        .target(
            name: "WharfServer",
            dependencies: [
                "SQSModel", "SigV4", "WharfEngine", "WharfProtocol", "WharfLogging", "WharfConsole",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The web console's files (Assets/, embedded by scripts/generate-console-assets.py) and
        // how /console serves them: no engine, no SQS — the page calls the API like any client.
        .target(name: "WharfConsole", exclude: ["Assets"], swiftSettings: strict),
        .testTarget(name: "WharfConsoleTests", dependencies: ["WharfConsole"], swiftSettings: strict),
        .executableTarget(
            name: "wharf",
            dependencies: [
                "WharfServer",
                "WharfEngine",
                "WharfLogging",
                "WharfConfig",
                "WharfSQLite",
                "WharfPostgres",
                "WharfBench",
                "WharfCLI",
                "SigV4",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // `wharf bench`: an SQS load generator over raw SwiftNIO keep-alive connections.
        .target(
            name: "WharfBench",
            dependencies: [
                "SQSModel", "SigV4",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The Swift SQS client: all 23 operations over AWS JSON 1.0, SigV4 from the `SigV4` target.
        .target(
            name: "WharfClient",
            dependencies: [
                "SQSModel", "SQSDigest", "SigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The inbound connector: long-poll loop, activation condition, mapping, acknowledgement.
        .target(name: "WharfConsumer", dependencies: ["SQSModel", "WharfExpression", "WharfClient",
                                                      .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // `wharf queue|send|receive|redrive|listen|expr`: the client side of the command line.
        .target(
            name: "WharfCLI",
            dependencies: [
                "WharfConsumer", "SQSModel", "WharfExpression", "WharfClient", "WharfLogging",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // wharf.yaml: the serve settings and the declared queues (checked whole, applied by the engine).
        .target(name: "WharfConfig",
                dependencies: ["WharfEngine", "SQSModel", .product(name: "Yams", package: "Yams"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "UnixSignals", package: "swift-service-lifecycle")],
                swiftSettings: strict),
        .testTarget(name: "WharfConfigTests", dependencies: ["WharfConfig", "WharfEngine", "WharfSQLite", "SQSModel",
                                                             .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        // Log lines as text or JSON, and the request id carried into every line of a request.
        .target(name: "WharfLogging", dependencies: [.product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // The connector's expression language (DMN 1.5 FEEL): parser and evaluator, no I/O.
        .target(name: "WharfExpression", swiftSettings: strict),
        // The engine over both stores: SQLite by default, PostgreSQL when WHARF_TEST_POSTGRES is set.
        .testTarget(name: "WharfEngineTests", dependencies: ["WharfEngine", "WharfSQLite", "WharfPostgres", "SQSModel",
                                                             "SQSDigest", .product(name: "Logging", package: "swift-log"),
                                                             .product(name: "PostgresNIO", package: "postgres-nio"),
                                                             .product(name: "NIOCore", package: "swift-nio"),
                                                             .product(name: "NIOPosix", package: "swift-nio")]),
        // What only the embedded store has: its file, pragmas, migrations and group commit.
        .testTarget(name: "WharfSQLiteTests",
                    dependencies: ["WharfSQLite", "WharfEngine", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: strict),
        .testTarget(name: "SQSDigestTests", dependencies: ["SQSDigest", "SQSModel"], swiftSettings: strict),
        // The size and limit rules the client and the server share (Sources/SQSModel/Limits).
        .testTarget(name: "SQSModelTests", dependencies: ["SQSModel"], swiftSettings: strict),
        // The client's pre-checks and the server answer a table of requests alike.
        .testTarget(name: "LimitAgreementTests", dependencies: ["SQSModel", "WharfClient", "WharfEngine", "WharfSQLite"],
                    swiftSettings: strict),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"]),
        // Live-server and socket helpers shared by the client and consumer tests.
        .target(name: "WharfTestSupport", dependencies: ["WharfClient"], path: "Tests/WharfTestSupport",
                swiftSettings: strict),
        .testTarget(name: "WharfClientTests",
                    dependencies: ["WharfClient", "WharfTestSupport", "SQSModel", "SQSDigest", "SigV4"],
                    swiftSettings: strict),
        .testTarget(name: "WharfConsumerTests",
                    dependencies: ["WharfConsumer", "WharfCLI", "WharfTestSupport", "SQSModel", "WharfExpression",
                                   "WharfClient",
                                   .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                   .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        .testTarget(name: "WharfExpressionTests", dependencies: ["WharfExpression"], swiftSettings: strict),
        .testTarget(name: "WharfProtocolTests", dependencies: ["WharfProtocol", "SQSModel"]),
        // The request path through the production channel pipeline on NIO's embedded channel
        // (no socket), and the connection state machine on its own.
        .testTarget(name: "WharfServerTests",
                    dependencies: ["WharfServer", "WharfSQLite", "WharfEngine", "WharfProtocol", "WharfLogging", "SigV4",
                                   .product(name: "NIOCore", package: "swift-nio"),
                                   .product(name: "NIOHTTP1", package: "swift-nio"),
                                   .product(name: "NIOEmbedded", package: "swift-nio"),
                                   .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
    ]
)
