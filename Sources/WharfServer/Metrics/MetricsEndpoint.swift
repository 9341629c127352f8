import Foundation
import NIOCore
import NIOHTTP1
import WharfEngine
import WharfProtocol

/// Where a request came from, as far as `/metrics` cares.
struct Peer: Sendable {
    var isLoopback: Bool

    init(isLoopback: Bool) { self.isLoopback = isLoopback }

    init(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4)?: isLoopback = v4.host.hasPrefix("127.")
        case .v6(let v6)?: isLoopback = v6.host == "::1" || v6.host.hasPrefix("::ffff:127.")
        case .unixDomainSocket?: isLoopback = true
        case nil: isLoopback = false
        }
    }
}

/// `GET /metrics`: Prometheus text. Queue names are not for everyone: a caller on this machine
/// (loopback) may scrape freely, anyone else needs `Authorization: Bearer <token>` with the
/// token of `--metrics-token` (Prometheus sends it with `authorization: credentials: …` in its
/// scrape config), and without a configured token remote callers are refused.
public struct MetricsEndpoint: Sendable {
    let metrics: ServerMetrics
    let engine: SQSEngine
    let token: String?
    let connections: @Sendable () -> Int
    let diskFree: @Sendable () -> Int64?

    static let contentType = ("Content-Type", "text/plain; version=0.0.4; charset=utf-8")

    func respond(_ head: HTTPRequestHead, peer: Peer) async -> EncodedResponse {
        guard peer.isLoopback || authorized(head) else {
            return EncodedResponse(status: 403, headers: [("Content-Type", "text/plain")],
                                   body: Array("metrics need a bearer token (--metrics-token) from outside this machine\n".utf8))
        }
        let started = ContinuousClock.now
        let gauges = (try? await engine.queueGauges()) ?? []
        let snapshot = ServerMetrics.Snapshot(gauges: gauges, nowMillis: engine.clock.nowMillis(),
                                              parkedLongPolls: engine.parkedLongPolls, connections: connections(),
                                              diskFreeBytes: diskFree())
        let body = metrics.render(snapshot)
        metrics.request(operation: "/metrics", status: 200, error: nil, duration: ContinuousClock.now - started)
        return EncodedResponse(status: 200, headers: [Self.contentType], body: body)
    }

    private func authorized(_ head: HTTPRequestHead) -> Bool {
        guard let token, let header = head.headers.first(name: "authorization"), header.hasPrefix("Bearer ") else {
            return false
        }
        // Every byte compared whatever the first difference: the time taken says nothing
        // about how much of the token was right.
        let given = Array(header.dropFirst("Bearer ".count).utf8), expected = Array(token.utf8)
        var difference = given.count ^ expected.count
        for index in 0..<min(given.count, expected.count) { difference |= Int(given[index] ^ expected[index]) }
        return difference == 0
    }
}
