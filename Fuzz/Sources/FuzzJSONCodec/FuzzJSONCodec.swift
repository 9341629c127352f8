import FuzzSupport
import SQSModel

/// Input: one byte picks the operation (X-Amz-Target), the rest is the JSON body.
@_cdecl("FuzzJSONCodec_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzJSON)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let operation = SQSOperation.allCases[Int(first) % SQSOperation.allCases.count]
    exercise(method: "POST", target: "AmazonSQS.\(operation.rawValue)", contentType: "application/x-amz-json-1.0",
             query: nil, body: Array(bytes.dropFirst()))
    checkFastPathAgreement(operation: operation, body: Array(bytes.dropFirst()))
    return 0
}
