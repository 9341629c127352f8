import Foundation
import NIOCore
import NIOHTTP1
import SigV4
import SQSModel

/// Where the load goes and how requests are signed: any SQS endpoint that speaks AWS JSON 1.0,
/// or several nodes of one (workers are spread over them round robin; requests are signed for,
/// and carry the Host of, the first).
public struct BenchTarget: Sendable {
    public var host: String
    public var port: Int
    /// Every endpoint; the first is `host`:`port`.
    public var endpoints: [Endpoint]
    public var region: String
    public var credentials: SigningCredentials

    public struct Endpoint: Sendable {
        public var host: String
        public var port: Int
    }

    public init(endpoint: String, region: String, credentials: SigningCredentials) throws {
        try self.init(endpoints: [endpoint], region: region, credentials: credentials)
    }

    public init(endpoints: [String], region: String, credentials: SigningCredentials) throws {
        self.endpoints = try endpoints.map { endpoint in
            guard let url = URL(string: endpoint), url.scheme == "http", let host = url.host else {
                throw BenchError.badEndpoint(endpoint)
            }
            return Endpoint(host: host, port: url.port ?? 80)
        }
        guard let first = self.endpoints.first else { throw BenchError.badEndpoint("(none)") }
        host = first.host
        port = first.port
        self.region = region
        self.credentials = credentials
    }

    /// The endpoint worker `index` connects to.
    func endpoint(for index: Int) -> Endpoint { endpoints[index % endpoints.count] }

    var hostHeader: String { "\(host):\(port)" }

    /// A signed AWS JSON 1.0 call. Signing is part of the measured cost, as for a real client.
    func call<Request: SQSRequest>(_ request: Request) -> BenchRequest {
        let body = Array((try? Self.encoder.encode(request)) ?? Data("{}".utf8))
        return signed(operation: Request.operation.rawValue, body: body)
    }

    func signed(operation: String, body: [UInt8]) -> BenchRequest {
        var request = SignableRequest(method: "POST", path: "/", query: nil, headers: [
            ("host", "\(host):\(port)"),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "AmazonSQS.\(operation)"),
        ], body: body)
        SigV4Signer.sign(&request, credentials: credentials, region: region,
                         epochSeconds: Int64(Date().timeIntervalSince1970))
        // The connection writes Host itself, with the same value that was signed.
        return BenchRequest(method: .POST, path: "/",
                            headers: request.headers.filter { $0.name != "host" }.map { ($0.name, $0.value) },
                            body: body)
    }

    static let encoder = JSONEncoder()
}

/// Decodes a 200 response of `type`, or throws with the server's error text.
func decode<T: Decodable>(_ type: T.Type, _ response: BenchResponse) throws -> T {
    guard response.status == 200 else {
        throw BenchError.http(status: response.status, body: String(buffer: response.body))
    }
    return try JSONDecoder().decode(T.self, from: Data(response.body.readableBytesView))
}

/// Re-signs a constant request at most once a second: the signature covers the date, so a
/// cached one stays valid for the ±15 minute skew window, and the load generator's own CPU
/// should go to load, not to hashing identical bodies.
struct SignedRequestCache {
    let make: () -> BenchRequest
    private var cached: BenchRequest?
    private var signedAt = 0

    init(_ make: @escaping () -> BenchRequest) { self.make = make }

    mutating func request() -> BenchRequest {
        let second = Int(Date().timeIntervalSince1970)
        if cached == nil || second != signedAt {
            cached = make()
            signedAt = second
        }
        return cached!
    }
}
