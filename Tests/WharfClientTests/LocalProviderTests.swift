import Foundation
import Testing
import WharfClient

/// credential_process and the container endpoint.
@Suite struct LocalProviderTests {
    @Test func credentialProcessFromAProfile() async throws {
        let files = try AWSFiles()
        defer { files.remove() }
        let script = files.directory.appendingPathComponent("creds.sh").path
        try """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "2030-01-02T03:04:05Z"}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        try "[profile tool]\ncredential_process = \(script) --account 1\n"
            .write(to: files.directory.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
        let credentials = try await ChainCredentialsProvider.default(environment: files.environment(["AWS_PROFILE": "tool"])).credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDPROC", secretAccessKey: "proc-secret", sessionToken: "proc-token",
                                              expiration: Date(timeIntervalSince1970: 1_893_553_445)))
    }

    @Test func credentialProcessFailuresAreExplained() async throws {
        let failing = await #expect(throws: SQSClientError.self) {
            try await ProcessCredentialsProvider(command: "echo 'token expired, run login' >&2; exit 3").credentials()
        }
        #expect(failing?.message.contains("exit status 3: token expired, run login") == true, "\(String(describing: failing))")
        let noVersion = await #expect(throws: SQSClientError.self) {
            try await ProcessCredentialsProvider(command: #"echo '{"AccessKeyId": "A", "SecretAccessKey": "s"}'"#).credentials()
        }
        #expect(noVersion?.message.contains("\"Version\": 1") == true)
        let notJSON = await #expect(throws: SQSClientError.self) {
            try await ProcessCredentialsProvider(command: "echo hello").credentials()
        }
        #expect(notJSON?.message.contains("not credentials JSON: hello") == true)
        let slow = await #expect(throws: SQSClientError.self) {
            try await ProcessCredentialsProvider(command: "sleep 2", timeout: 0.2).credentials()
        }
        #expect(slow?.message.contains("exit status") == true)
    }

    /// A full URI on loopback with the token from a file (which wins over the variable), as on EKS
    /// Pod Identity; the request is a GET of the URI's path with the token as Authorization.
    @Test func containerEndpointWithTokenFile() async throws {
        let server = FakeAWSServer { request in
            guard request.method == "GET", request.path == "/v1/credentials",
                  request.header("Authorization") == "file-token" else {
                return .json(#"{"code": "AccessDenied", "message": "bad token \#(request.header("Authorization") ?? "none")"}"#, status: 403)
            }
            return .json(#"{"AccessKeyId": "ASIACONT", "SecretAccessKey": "c-secret", "Token": "c-token", "Expiration": "2030-01-02T03:04:05Z", "RoleArn": "arn:aws:iam::1:role/task"}"#)
        }
        defer { server.stop() }
        let files = try AWSFiles()
        defer { files.remove() }
        let tokenFile = files.directory.appendingPathComponent("eks-token").path
        try "file-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let env = files.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url.absoluteString)/v1/credentials",
                                     "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                                     "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token"])
        let credentials = try await ChainCredentialsProvider.default(environment: env).credentials()
        #expect(credentials.accessKeyId == "ASIACONT")
        #expect(credentials.sessionToken == "c-token")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_553_445))

        // With only the variable, its token is sent, and the agent's refusal is reported.
        let refused = await #expect(throws: SQSClientError.self) {
            try await ContainerCredentialsProvider(environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url.absoluteString)/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token"]).credentials()
        }
        #expect(refused?.message.contains("HTTP 403 AccessDenied: bad token variable-token") == true, "\(String(describing: refused))")
        #expect(server.requests.count == 2)
    }

    @Test func containerEndpointRules() async throws {
        // A relative URI is a path on the ECS agent (not asked here: only loopback in tests).
        let unsafe = await #expect(throws: SQSClientError.self) {
            try await ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"]).credentials()
        }
        #expect(unsafe?.message.contains("must be HTTPS, or HTTP to a loopback") == true)
        let none = await #expect(throws: SQSClientError.self) { try await ContainerCredentialsProvider(environment: [:]).credentials() }
        #expect(none?.message.contains("container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set") == true)
        let down = await #expect(throws: SQSClientError.self) {
            try await ContainerCredentialsProvider(environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(WharfTestPorts.closed())/creds"]).credentials()
        }
        #expect(down?.message.contains("container credentials at http://127.0.0.1:") == true, "\(String(describing: down))")
    }
}
