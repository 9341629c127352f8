import SigV4
import SQSModel

/// Decides who a request comes from. With credentials configured every request must carry a
/// valid SigV4 signature; without them (dev mode, loopback only) any key is accepted and maps
/// to the default account.
struct Authenticator: Sendable {
    struct Caller: Equatable {
        var accountId: String
        var accessKeyId: String?
        var region: String?
    }

    let credentials: CredentialStore
    let defaultAccount: String

    var devMode: Bool { credentials.isEmpty }

    func authenticate(_ request: SignableRequest, nowSeconds: Int64) throws(SQSError) -> Caller {
        if devMode {
            let claimed = SigV4Verifier.claimedIdentity(request)
            return Caller(accountId: defaultAccount, accessKeyId: claimed?.accessKeyId, region: claimed?.scope.region)
        }
        let store = credentials
        let verifier = SigV4Verifier { store.lookup($0)?.key }
        do {
            let verified = try verifier.verify(request, nowSeconds: nowSeconds)
            let account = credentials.lookup(verified.accessKeyId)!.accountId
            return Caller(accountId: account, accessKeyId: verified.accessKeyId, region: verified.scope.region)
        } catch {
            throw Self.sqsError(error)
        }
    }

    /// AWS's answers to authentication failures (docs/sqs-behaviour.md#authentication-errors).
    static func sqsError(_ failure: SigV4Failure) -> SQSError {
        switch failure {
        case .missingAuthentication:
            return SQSError(code: .missingAuthenticationToken, httpStatus: 403,
                            message: "Request is missing Authentication Token", modeled: false)
        case .incompleteSignature(let message):
            return SQSError(code: .incompleteSignature, httpStatus: 400, message: message, modeled: false)
        case .unknownAccessKey, .invalidToken:
            return SQSError(code: .invalidClientTokenId, httpStatus: 403,
                            message: "The security token included in the request is invalid.", modeled: false)
        case .expiredToken:
            return SQSError(code: .expiredToken, httpStatus: 403,
                            message: "The security token included in the request is expired", modeled: false)
        case .expired(let message):
            return SQSError(code: .signatureDoesNotMatch, httpStatus: 403, message: message, modeled: false)
        case .signatureMismatch(let canonical, let stringToSign):
            return SQSError(code: .signatureDoesNotMatch, httpStatus: 403, message: """
                The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.

                The Canonical String for this request should have been
                '\(canonical)'

                The String-to-Sign should have been
                '\(stringToSign)'
                """, modeled: false)
        }
    }
}
