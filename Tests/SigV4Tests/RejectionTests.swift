import SigV4
import Testing

/// Every way a request can fail verification, each with the failure the server maps to AWS's
/// error code.
@Suite struct RejectionTests {
    let example = examples[0]

    @Test func tamperedBodyDoesNotMatch() {
        var request = example.request()
        request.body.append(UInt8(ascii: " "))
        #expect(throws: SigV4Failure.self) { try verifier.verify(request, nowSeconds: signedAt) }
        do {
            _ = try verifier.verify(request, nowSeconds: signedAt)
        } catch {
            guard case .signatureMismatch(let canonical, let stringToSign) = error else {
                Issue.record("expected a mismatch, got \(error)")
                return
            }
            #expect(canonical.hasPrefix("POST\n/\n"))
            #expect(stringToSign.hasPrefix("AWS4-HMAC-SHA256\n20240115T120000Z\n20240115/us-east-1/sqs/aws4_request\n"))
        }
    }

    @Test func wrongSecretDoesNotMatch() {
        let other = SigV4Verifier { _ in KnownKey(secretAccessKey: "not-the-secret") }
        #expect(throws: SigV4Failure.self) { try other.verify(example.request(), nowSeconds: signedAt) }
    }

    @Test func tamperedHeaderOrRegionDoesNotMatch() {
        var request = example.request()
        request.headers = request.headers.map { $0.name == "X-Amz-Target" ? ($0.name, "AmazonSQS.DeleteQueue") : $0 }
        #expect(throws: SigV4Failure.self) { try verifier.verify(request, nowSeconds: signedAt) }
        var region = example.request()
        region.headers = region.headers.map {
            $0.name == "Authorization" ? ($0.name, $0.value.replacingOccurrences(of: "us-east-1", with: "eu-west-1")) : $0
        }
        #expect(throws: SigV4Failure.self) { try verifier.verify(region, nowSeconds: signedAt) }
    }

    @Test func unknownKeyIsRefused() {
        let none = SigV4Verifier { _ in nil }
        #expect(throws: SigV4Failure.unknownAccessKey) { try none.verify(example.request(), nowSeconds: signedAt) }
    }

    @Test func skewBeyondFifteenMinutesIsRefused() throws {
        _ = try verifier.verify(example.request(), nowSeconds: signedAt + 900)
        #expect(throws: SigV4Failure.expired(
            "Signature expired: 20240115T120000Z is now earlier than 20240115T120001Z (20240115T121501Z - 15 min.)")) {
            try verifier.verify(example.request(), nowSeconds: signedAt + 901)
        }
        #expect(throws: SigV4Failure.self) { try verifier.verify(example.request(), nowSeconds: signedAt - 901) }
    }

    @Test func unsignedRequestIsMissingAuthentication() {
        #expect(throws: SigV4Failure.missingAuthentication) {
            try verifier.verify(example.request(authorization: false), nowSeconds: signedAt)
        }
    }

    @Test func malformedAuthorizationIsIncomplete() {
        var request = example.request(authorization: false)
        request.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/bad"))
        #expect(throws: SigV4Failure.self) { try verifier.verify(request, nowSeconds: signedAt) }
    }

    @Test func sessionTokensMustMatchAndNotBeExpired() throws {
        let temporary = SigV4Verifier { _ in
            KnownKey(secretAccessKey: secret, sessionToken: "token-1", expiresAtSeconds: signedAt + 100)
        }
        var request = SignableRequest(method: "POST", path: "/", query: nil,
                                      headers: [("Host", "localhost:9324"), ("Content-Type", "application/x-amz-json-1.0")],
                                      body: Array("{}".utf8))
        var good = request
        SigV4Signer.sign(&good, credentials: SigningCredentials(accessKeyId: "ASIA1", secretAccessKey: secret,
                                                                sessionToken: "token-1"), region: "us-east-1", epochSeconds: signedAt)
        _ = try temporary.verify(good, nowSeconds: signedAt)
        #expect(throws: SigV4Failure.expiredToken) { try temporary.verify(good, nowSeconds: signedAt + 100) }
        SigV4Signer.sign(&request, credentials: SigningCredentials(accessKeyId: "ASIA1", secretAccessKey: secret,
                                                                   sessionToken: "token-2"), region: "us-east-1", epochSeconds: signedAt)
        #expect(throws: SigV4Failure.invalidToken) { try temporary.verify(request, nowSeconds: signedAt) }
    }

    @Test func canonicalQueryHandlesDuplicatesAndEncoding() throws {
        var request = SignableRequest(method: "GET", path: "/000000000000/my%20queue",
                                      query: "b=2&a=2&a=1&sp=a%20b&plus=a+b&tilde=~", headers: [("Host", "h")], body: [])
        SigV4Signer.sign(&request, credentials: SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret),
                         region: "us-east-1", epochSeconds: signedAt)
        _ = try verifier.verify(request, nowSeconds: signedAt)
        let canonical = SigV4.canonicalRequest(request, signedHeaders: ["host"], payloadHash: SigV4.emptyBodyHash)
        let lines = canonical.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "/000000000000/my%2520queue")
        #expect(lines[2] == "a=1&a=2&b=2&plus=a%20b&sp=a%20b&tilde=~")
    }

    @Test func amzDateRoundTrips() {
        #expect(AmzDate.format(signedAt) == "20240115T120000Z")
        #expect(AmzDate.parse("20240229T235959Z").map(AmzDate.format) == "20240229T235959Z")
        #expect(AmzDate.parse("2024-01-15T12:00:00Z") == nil)
    }
}
