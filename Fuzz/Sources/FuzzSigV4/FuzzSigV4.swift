import FuzzSupport
import SigV4

/// Input: newline-separated Authorization header, query string, X-Amz-Date, path; the rest is the
/// body. The verifier knows one key so that parsing reaches the signature comparison.
@_cdecl("FuzzSigV4_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzSigV4)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSigV4(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var parts = text.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
    while parts.count < 5 { parts.append("") }
    let request = SignableRequest(
        method: "POST", path: parts[3].isEmpty ? "/" : parts[3], query: parts[1].isEmpty ? nil : parts[1],
        headers: [("Authorization", parts[0]), ("X-Amz-Date", parts[2]), ("Host", "localhost:9324")],
        body: Array(parts[4].utf8))
    let verifier = SigV4Verifier { $0 == "AKIDEXAMPLE" ? KnownKey(secretAccessKey: "secret", sessionToken: nil) : nil }
    _ = try? verifier.verify(request, nowSeconds: 1_705_320_000)
    _ = AmzDate.parse(parts[2])
    return 0
}
