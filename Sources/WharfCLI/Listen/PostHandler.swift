import AsyncHTTPClient
import Foundation
import NIOCore
import WharfConsumer

/// `--post URL`: an HTTP POST of the JSON per message (or per batch); a 2xx status is success,
/// anything else a failure that names the status and the start of the response body. In batch
/// mode a 2xx body is read as Lambda's `batchItemFailures`.
struct PostHandler: Sendable {
    let url: String
    let timeout: Double

    func handle(_ message: ConsumerMessage) async throws {
        _ = try await send(message.output.jsonData(), headers: [("X-Wharf-Message-Id", message.messageId)])
    }

    func handle(batch: [ConsumerMessage]) async throws -> BatchResult {
        let body = try await send(BatchInput.json(batch), headers: [("X-Wharf-Batch-Size", String(batch.count))])
        return try BatchResult(lambdaResponse: body)
    }

    private func send(_ body: Data, headers: [(String, String)]) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        let bytes = (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
        guard (200..<300).contains(response.status.code) else {
            let text = String(decoding: bytes.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw HandlerFailure(description: "POST \(url): HTTP \(response.status.code)" + (text.isEmpty ? "" : ": \(text)"))
        }
        return bytes
    }
}
