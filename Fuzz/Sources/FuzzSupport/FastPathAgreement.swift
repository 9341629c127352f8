import Foundation
import SQSModel
import WharfProtocol

/// Differential check of the hand-written JSON path: whatever it accepts, JSONDecoder must
/// accept too and decode to the same value (compared as sorted-key JSON). A disagreement is a
/// crash, so libFuzzer reports it.
public func checkFastPathAgreement(operation: SQSOperation, body: [UInt8]) {
    switch operation {
    case .sendMessage: agree(SendMessageRequest.self, body)
    case .sendMessageBatch: agree(SendMessageBatchRequest.self, body)
    case .receiveMessage: agree(ReceiveMessageRequest.self, body)
    case .deleteMessage: agree(DeleteMessageRequest.self, body)
    case .deleteMessageBatch: agree(DeleteMessageBatchRequest.self, body)
    default: break
    }
}

private func agree<R: SQSRequest>(_ type: R.Type, _ body: [UInt8]) {
    guard let fast = JSONFastRequests.decode(type, from: body) else { return }
    guard let slow = try? JSONDecoder().decode(type, from: Data(body)) else {
        fatalError("fast path accepted a body JSONDecoder rejects: \(String(decoding: body, as: UTF8.self))")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let a = try? encoder.encode(fast), let b = try? encoder.encode(slow), a == b else {
        fatalError("fast path and JSONDecoder disagree on: \(String(decoding: body, as: UTF8.self))")
    }
}
