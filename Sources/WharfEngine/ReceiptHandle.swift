import Foundation

/// What a receipt handle names: one receive of one message in one queue.
///
/// On the wire it is opaque base64. The nonce makes every receive's handle distinct even for
/// the same receive count (SQS issues a new handle on every receive); the receive count lets
/// FIFO queues tell the latest handle from an older one.
struct ReceiptHandle: Equatable {
    var queueId: Int64
    var seq: Int64
    var receiveCount: Int
    var nonce: UInt64

    var reference: HandleReference { HandleReference(seq: seq, receiveCount: receiveCount) }

    func encoded() -> String {
        let text = "w1:\(queueId):\(seq):\(receiveCount):\(String(nonce, radix: 16))"
        return Data(text.utf8).base64EncodedString()
    }

    /// Parses a handle; nil for anything this server did not issue.
    init?(encoded: String) {
        guard encoded.utf8.count <= 1024, let data = Data(base64Encoded: encoded),
              let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "w1",
              let queueId = Int64(parts[1]), let seq = Int64(parts[2]),
              let receiveCount = Int(parts[3]), let nonce = UInt64(parts[4], radix: 16) else { return nil }
        self.init(queueId: queueId, seq: seq, receiveCount: receiveCount, nonce: nonce)
    }

    init(queueId: Int64, seq: Int64, receiveCount: Int, nonce: UInt64 = UInt64.random(in: 0...UInt64.max)) {
        self.queueId = queueId; self.seq = seq; self.receiveCount = receiveCount; self.nonce = nonce
    }
}
