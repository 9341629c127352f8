import Foundation
import Testing
@testable import WharfEngine

/// Receipt handles: what the server issues parses back to the same fields; anything else,
/// including near misses of the format, is rejected (the engine answers ReceiptHandleIsInvalid).
struct ReceiptHandleTests {
    @Test func issuedHandlesParseBack() {
        let cases: [ReceiptHandle] = [
            ReceiptHandle(queueId: 1, seq: 1, receiveCount: 1, nonce: 0),
            ReceiptHandle(queueId: 42, seq: 123_456_789, receiveCount: 7),
            ReceiptHandle(queueId: Int64.max, seq: Int64.max, receiveCount: Int.max, nonce: UInt64.max),
        ]
        for handle in cases {
            #expect(ReceiptHandle(encoded: handle.encoded()) == handle)
        }
        for _ in 0..<1000 {
            let handle = ReceiptHandle(queueId: .random(in: 1...1_000_000), seq: .random(in: 1...Int64.max),
                                       receiveCount: .random(in: 1...1000))
            #expect(ReceiptHandle(encoded: handle.encoded()) == handle)
        }
    }

    @Test(arguments: [
        "w1:1:2:3:ff", // the only valid one here, as a control
        "w1:1:2:3:FF", // upper-case hex nonce (as UInt64(_:radix:) read it)
    ])
    func acceptedTexts(_ text: String) {
        #expect(ReceiptHandle(encoded: Data(text.utf8).base64EncodedString()) != nil)
    }

    @Test(arguments: [
        "", "w1", "w1:", "w1:1:2:3", "w1:1:2:3:", "w1:1:2:3:ff:", "w1:1:2:3:ff:9", "w2:1:2:3:ff",
        "W1:1:2:3:ff", "w1::2:3:ff", "w1:+1:2:3:ff", "w1:-1:2:3:ff", "w1:1:2:3:fg", "w1:1 :2:3:ff",
        "w1:1:2:3:ff\n", "w1:9223372036854775808:2:3:ff", "w1:1:2:3:10000000000000000",
        "w1:1:2:99999999999999999999:ff", "w1:1:2:3:ff\u{0}", "w1:1:2:٣:ff",
    ])
    func rejectedTexts(_ text: String) {
        #expect(ReceiptHandle(encoded: Data(text.utf8).base64EncodedString()) == nil)
    }

    @Test func rejectsWhatIsNotBase64OrTooLong() {
        #expect(ReceiptHandle(encoded: "not base64!") == nil)
        let long = "w1:1:2:3:" + String(repeating: "0", count: 800) + "1"
        #expect(ReceiptHandle(encoded: Data(long.utf8).base64EncodedString()) == nil)
    }
}
