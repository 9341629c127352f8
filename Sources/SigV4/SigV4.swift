import Crypto

/// The SigV4 algorithm (docs/sqs-behaviour.md#canonical-request): canonical request, string to
/// sign, signing key and signature. Shared by the signer (clients) and the verifier (server), so
/// both sides agree by construction.
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"
    public static let emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// `<date>/<region>/<service>/aws4_request`
    public struct Scope: Sendable, Equatable {
        public var date: String
        public var region: String
        public var service: String
        public init(date: String, region: String, service: String) {
            self.date = date; self.region = region; self.service = service
        }
        public var string: String { "\(date)/\(region)/\(service)/aws4_request" }
    }

    public static func canonicalRequest(_ request: SignableRequest, signedHeaders: [String], payloadHash: String) -> String {
        let headers = signedHeaders.map { name in
            name + ":" + request.values(of: name).map(normalizeHeaderValue).joined(separator: ",") + "\n"
        }.joined()
        return [request.method.uppercased(), canonicalURI(request.path), canonicalQuery(request),
                headers, signedHeaders.joined(separator: ";"), payloadHash].joined(separator: "\n")
    }

    public static func stringToSign(amzDate: String, scope: Scope, canonicalRequest: String) -> String {
        [algorithm, amzDate, scope.string, hexSHA256(Array(canonicalRequest.utf8))].joined(separator: "\n")
    }

    public static func signature(secret: String, scope: Scope, stringToSign: String) -> String {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [scope.date, scope.region, scope.service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    public static func hexSHA256(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// The path with dot segments and empty segments removed, then percent-encoded again with
    /// `/` kept: botocore encodes the already-encoded path a second time for non-S3 services.
    static func canonicalURI(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/") {
            if segment == "." { continue }
            if segment == ".." { _ = segments.popLast(); continue }
            segments.append(segment)
        }
        var normalized = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/"), !segments.isEmpty { normalized += "/" }
        return Percent.encode(normalized, keepingSlash: true)
    }

    /// Every query parameter but the signature itself, encoded and sorted by key then value.
    static func canonicalQuery(_ request: SignableRequest) -> String {
        request.queryParameters
            .filter { $0.key != "X-Amz-Signature" }
            .map { (Percent.encode($0.key), Percent.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8)
                                   : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Trimmed, with internal runs of whitespace collapsed to one space.
    static func normalizeHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
