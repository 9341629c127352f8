/// What the server reads about the caller from a SigV4-signed request, without verifying the
/// signature yet (verification is its own component; it will need the raw body and headers,
/// which the responder keeps).
struct RequestIdentity: Equatable {
    var accessKeyId: String?
    var region: String?

    /// Reads `Credential=<AKID>/<date>/<region>/<service>/aws4_request` from the Authorization
    /// header, or `X-Amz-Credential` from a presigned query string.
    init(authorization: String?, queryString: String?) {
        var credential = ""
        if let authorization, let range = authorization.range(of: "Credential=") {
            credential = String(authorization[range.upperBound...].prefix { $0 != "," && $0 != " " })
        } else if let queryString,
                  let pair = queryString.split(separator: "&").first(where: { $0.hasPrefix("X-Amz-Credential=") }) {
            let value = String(pair.dropFirst("X-Amz-Credential=".count))
            credential = value.percentDecoded ?? value
        }
        self.init(credential: credential)
    }

    init(credential: String) {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false)
        accessKeyId = parts.first.map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        region = parts.count >= 3 && !parts[2].isEmpty ? String(parts[2]) : nil
    }
}

extension String {
    /// Percent-decoding without Foundation's URL machinery.
    var percentDecoded: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
