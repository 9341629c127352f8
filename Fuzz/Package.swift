// swift-tools-version:6.2
// libFuzzer targets for the parsers that face the network: the JSON and Query codecs and the
// SigV4 verifier. A package of its own so that the main build never sees their
// `-parse-as-library` entry points (libFuzzer supplies `main`); run them with scripts/fuzz.sh.
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "WharfFuzz",
    dependencies: [.package(name: "wharf", path: "..")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "WharfProtocol", package: "wharf"), .product(name: "SQSModel", package: "wharf")]),
        .executableTarget(name: "FuzzJSONCodec", dependencies: ["FuzzSupport"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzQueryCodec", dependencies: ["FuzzSupport"], swiftSettings: fuzzFlags),
        .executableTarget(
            name: "FuzzSigV4", dependencies: ["FuzzSupport", .product(name: "SigV4", package: "wharf")],
            swiftSettings: fuzzFlags),
    ]
)
