/// A secret the server knows for an access key.
public struct KnownKey: Sendable, Equatable {
    public var secretAccessKey: String
    /// Temporary credentials carry a session token the request must present, and expire.
    public var sessionToken: String?
    public var expiresAtSeconds: Int64?
    public init(secretAccessKey: String, sessionToken: String? = nil, expiresAtSeconds: Int64? = nil) {
        self.secretAccessKey = secretAccessKey; self.sessionToken = sessionToken; self.expiresAtSeconds = expiresAtSeconds
    }
}

/// Who signed a request that verified.
public struct VerifiedCaller: Sendable, Equatable {
    public var accessKeyId: String
    public var scope: SigV4.Scope
}

/// Why a request was refused. The server maps these to AWS's codes (docs/sqs-behaviour.md#authentication-errors).
public enum SigV4Failure: Error, Equatable, Sendable {
    case missingAuthentication
    case incompleteSignature(String)
    case unknownAccessKey
    case signatureMismatch(canonicalRequest: String, stringToSign: String)
    /// Clock skew beyond 15 minutes, or a presigned URL past its expiry.
    case expired(String)
    case invalidToken
    case expiredToken
}

/// Verifies SigV4 signatures from an Authorization header or a presigned query string.
public struct SigV4Verifier: Sendable {
    public static let maxSkewSeconds: Int64 = 15 * 60
    let lookup: @Sendable (String) -> KnownKey?

    public init(lookup: @escaping @Sendable (String) -> KnownKey?) { self.lookup = lookup }

    public func verify(_ request: SignableRequest, nowSeconds: Int64) throws(SigV4Failure) -> VerifiedCaller {
        let parsed = try Self.parse(request)
        guard let key = lookup(parsed.accessKeyId) else { throw .unknownAccessKey }
        if let expected = key.sessionToken {
            guard parsed.sessionToken == expected else { throw .invalidToken }
            if let expiry = key.expiresAtSeconds, nowSeconds >= expiry { throw .expiredToken }
        } else if parsed.sessionToken != nil {
            throw .invalidToken
        }
        guard let signedAt = AmzDate.parse(parsed.amzDate), parsed.amzDate.hasPrefix(parsed.scope.date) else {
            throw .incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(parsed.amzDate)'.")
        }
        if let expires = parsed.expiresSeconds {
            if nowSeconds > signedAt + expires { throw .expired("Request has expired.") }
            if signedAt - nowSeconds > Self.maxSkewSeconds { throw Self.notYetCurrent(signedAt, nowSeconds) }
        } else if nowSeconds - signedAt > Self.maxSkewSeconds {
            throw .expired("Signature expired: \(parsed.amzDate) is now earlier than \(AmzDate.format(nowSeconds - Self.maxSkewSeconds)) (\(AmzDate.format(nowSeconds)) - 15 min.)")
        } else if signedAt - nowSeconds > Self.maxSkewSeconds {
            throw Self.notYetCurrent(signedAt, nowSeconds)
        }
        let payloadHash = request.header("x-amz-content-sha256") ?? SigV4.hexSHA256(request.body)
        let canonical = SigV4.canonicalRequest(request, signedHeaders: parsed.signedHeaders, payloadHash: payloadHash)
        let stringToSign = SigV4.stringToSign(amzDate: parsed.amzDate, scope: parsed.scope, canonicalRequest: canonical)
        let expected = SigV4.signature(secret: key.secretAccessKey, scope: parsed.scope, stringToSign: stringToSign)
        guard Self.constantTimeEqual(expected, parsed.signature) else {
            throw .signatureMismatch(canonicalRequest: canonical, stringToSign: stringToSign)
        }
        return VerifiedCaller(accessKeyId: parsed.accessKeyId, scope: parsed.scope)
    }

    /// Who the request says it is — the credential of its Authorization header or presigned
    /// query — without checking anything else: what dev mode goes by.
    public static func claimedIdentity(_ request: SignableRequest) -> (accessKeyId: String, scope: SigV4.Scope)? {
        var credential: Substring?
        if let authorization = request.header("authorization"), let start = index(after: "Credential=", in: authorization) {
            // Bytes, not Characters: this runs for every request in dev mode.
            let rest = authorization[start...]
            credential = rest[..<(rest.utf8.firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") } ?? rest.endIndex)]
        } else {
            credential = request.queryParameters.first { $0.key == "X-Amz-Credential" }.map { Substring($0.value) }
        }
        return credential.flatMap { try? parseCredential($0) }.map { ($0.0, $0.1) }
    }

    /// Where the text after the first `marker` starts. A plain byte search: Foundation's
    /// `range(of:)` cost ~4 % of server CPU in dev mode, where this runs for every request.
    static func index(after marker: String, in text: String) -> String.Index? {
        let needle = Array(marker.utf8)
        var text = text
        let offset: Int? = text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return nil }
            for start in 0...(bytes.count - needle.count)
            where bytes[start] == needle[0] && needle.indices.allSatisfy({ bytes[start + $0] == needle[$0] }) {
                return start + needle.count
            }
            return nil
        }
        return offset.map { text.utf8.index(text.utf8.startIndex, offsetBy: $0) }
    }

    private static func notYetCurrent(_ signedAt: Int64, _ now: Int64) -> SigV4Failure {
        .expired("Signature not yet current: \(AmzDate.format(signedAt)) is still later than \(AmzDate.format(now + maxSkewSeconds)) (\(AmzDate.format(now)) + 15 min.)")
    }

    struct Parsed {
        var accessKeyId: String
        var scope: SigV4.Scope
        var signedHeaders: [String]
        var signature: String
        var amzDate: String
        var sessionToken: String?
        var expiresSeconds: Int64?
    }

    /// Reads the signature parameters from the Authorization header, else from the query string.
    static func parse(_ request: SignableRequest) throws(SigV4Failure) -> Parsed {
        if let authorization = request.header("authorization") {
            guard authorization.hasPrefix(SigV4.algorithm + " ") else {
                throw .incompleteSignature("Unsupported authorization type; only \(SigV4.algorithm) is accepted.")
            }
            var fields: [String: String] = [:]
            for part in authorization.dropFirst(SigV4.algorithm.count + 1).split(separator: ",") {
                let pair = part.trimmingSpaces.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
            }
            guard let credential = fields["Credential"], let signed = fields["SignedHeaders"],
                  let signature = fields["Signature"] else {
                throw .incompleteSignature("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.")
            }
            guard let date = request.header("x-amz-date") else {
                throw .incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
            }
            let (accessKeyId, scope) = try parseCredential(credential)
            return Parsed(accessKeyId: accessKeyId, scope: scope, signedHeaders: try signedHeaders(signed),
                          signature: signature, amzDate: date, sessionToken: request.header("x-amz-security-token"),
                          expiresSeconds: nil)
        }
        var query: [String: String] = [:]
        for (key, value) in request.queryParameters where query[key] == nil { query[key] = value }
        guard query["X-Amz-Algorithm"] != nil || query["X-Amz-Signature"] != nil else { throw .missingAuthentication }
        guard query["X-Amz-Algorithm"] == SigV4.algorithm, let credential = query["X-Amz-Credential"],
              let signed = query["X-Amz-SignedHeaders"], let signature = query["X-Amz-Signature"],
              let date = query["X-Amz-Date"], let expiresText = query["X-Amz-Expires"],
              let expires = Int64(expiresText), (1...604_800).contains(expires) else {
            throw .incompleteSignature("A presigned URL requires X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires (1..604800), X-Amz-SignedHeaders and X-Amz-Signature.")
        }
        let (accessKeyId, scope) = try parseCredential(credential)
        return Parsed(accessKeyId: accessKeyId, scope: scope, signedHeaders: try signedHeaders(signed),
                      signature: signature, amzDate: date, sessionToken: query["X-Amz-Security-Token"],
                      expiresSeconds: expires)
    }

    static func parseCredential<Text: StringProtocol>(_ credential: Text) throws(SigV4Failure) -> (String, SigV4.Scope) {
        // Split on the byte: `/` is ASCII, and Character-wise splitting showed in profiles.
        let parts = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard parts.count == 5, !parts[0].isEmpty, parts[4] == "aws4_request", parts[1].count == 8,
              !parts[2].isEmpty, !parts[3].isEmpty else {
            throw .incompleteSignature("Credential should be scoped to a valid region, service and date: '\(credential)'.")
        }
        return (parts[0], SigV4.Scope(date: parts[1], region: parts[2], service: parts[3]))
    }

    static func signedHeaders(_ list: String) throws(SigV4Failure) -> [String] {
        let names = list.split(separator: ";").map { $0.lowercased() }
        guard names.contains("host") else { throw .incompleteSignature("'Host' must be a signed header.") }
        return names
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
