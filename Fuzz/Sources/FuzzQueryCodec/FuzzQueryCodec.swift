import FuzzSupport

/// Input: a form body; a NUL byte, if any, splits off a URL query string before it.
@_cdecl("FuzzQueryCodec_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzQuery)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var query: String?
    var body = bytes
    if let split = bytes.firstIndex(of: 0) {
        query = String(decoding: bytes[..<split], as: UTF8.self)
        body = Array(bytes[(split + 1)...])
    }
    exercise(method: "POST", target: nil, contentType: "application/x-www-form-urlencoded; charset=utf-8",
             query: query, body: body)
    return 0
}
