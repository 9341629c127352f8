import Foundation

/// What a receipt handle names: one receive of one message in one queue.
///
/// On the wire it is opaque base64. The nonce makes every receive's handle distinct even for
/// the same receive count (SQS issues a new handle on every receive); the receive count lets
/// FIFO queues tell the latest handle from an older one.
///
/// A peek's handle (`wp:`, docs/console.md#peekmessages) names no receive: it deletes the
/// message as the peek saw it, i.e. while no receive happened since, and changes no visibility.
struct ReceiptHandle: Equatable {
    var queueId: Int64
    var seq: Int64
    var receiveCount: Int
    var nonce: UInt64
    var peeked = false

    var reference: HandleReference { HandleReference(seq: seq, receiveCount: receiveCount) }

    func encoded() -> String {
        let text = "\(peeked ? "wp" : "w1"):\(queueId):\(seq):\(receiveCount):\(String(nonce, radix: 16))"
        return Data(text.utf8).base64EncodedString()
    }

    /// Parses a handle; nil for anything this server did not issue. Reads the decoded bytes
    /// directly (no strings, no split): deletes parse ten of these per request.
    init?(encoded: String) {
        guard encoded.utf8.count <= 1024, let data = Data(base64Encoded: encoded) else { return nil }
        let fields: (Int64, Int64, Int64, UInt64, Bool)? = data.withUnsafeBytes { bytes in
            var reader = HandleReader(bytes: bytes)
            let peeked = reader.skip("wp:")
            guard peeked || reader.skip("w1:"), let queueId = reader.number(radix: 10), reader.skip(":"),
                  let seq = reader.number(radix: 10), reader.skip(":"),
                  let receiveCount = reader.number(radix: 10), reader.skip(":"),
                  let nonce = reader.number(radix: 16), reader.atEnd,
                  queueId <= UInt64(Int64.max), seq <= UInt64(Int64.max),
                  receiveCount <= UInt64(Int64.max) else { return nil }
            return (Int64(queueId), Int64(seq), Int64(receiveCount), nonce, peeked)
        }
        guard let (queueId, seq, receiveCount, nonce, peeked) = fields else { return nil }
        self.init(queueId: queueId, seq: seq, receiveCount: Int(receiveCount), nonce: nonce, peeked: peeked)
    }

    init(queueId: Int64, seq: Int64, receiveCount: Int, nonce: UInt64 = UInt64.random(in: 0...UInt64.max),
         peeked: Bool = false) {
        self.queueId = queueId; self.seq = seq; self.receiveCount = receiveCount; self.nonce = nonce
        self.peeked = peeked
    }
}

/// Unsigned numbers and literal separators over a decoded handle's bytes.
private struct HandleReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] { return false }
        position += count
        return true
    }

    /// One or more digits, nil on overflow of UInt64.
    mutating func number(radix: UInt64) -> UInt64? {
        var value: UInt64 = 0
        let start = position
        while position < bytes.count, let digit = Self.digit(bytes[position], radix: radix) {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
            position += 1
        }
        return position > start ? value : nil
    }

    private static func digit(_ byte: UInt8, radix: UInt64) -> UInt64? {
        let value: UInt64
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt64(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = UInt64(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
        return value < radix ? value : nil
    }
}
