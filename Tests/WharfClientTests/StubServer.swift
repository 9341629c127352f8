import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import WharfTestSupport

/// A scripted HTTP server on loopback: each request takes the next action of the script (the
/// last one repeats). Connections are handled one at a time and closed after each request, so
/// every attempt of the client shows up as one recorded request.
final class StubServer: @unchecked Sendable {
    enum Action: Sendable {
        /// Read the request, then close without answering (a dropped connection).
        case drop
        case respond(status: Int, headers: [String: String] = [:], body: String)
        /// Wait, then do the action.
        indirect case delay(TimeInterval, Action)

        static func json(_ body: String, status: Int = 200) -> Action {
            .respond(status: status, headers: ["Content-Type": "application/x-amz-json-1.0"], body: body)
        }
    }

    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var script: [Action]
    private var recorded: [String] = []

    init(_ script: [Action]) {
        precondition(!script.isEmpty)
        self.script = script
        (fd, port) = Sockets.makeListener()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The raw requests received so far.
    var requests: [String] { lock.withLock { recorded } }

    /// Wakes the accept loop, which then closes the socket itself: closing it here could let a
    /// new server reuse the descriptor number while this loop still accepts on it.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(fd) }
        while true {
            let connection = accept(fd, nil, nil)
            if connection < 0 { return }
            guard let request = Sockets.readMessage(connection) else { close(connection); continue }
            let action: Action = lock.withLock {
                recorded.append(request)
                return script.count > 1 ? script.removeFirst() : script[0]
            }
            perform(action, on: connection)
            close(connection)
        }
    }

    private func perform(_ action: Action, on connection: Int32) {
        switch action {
        case .drop:
            return
        case .delay(let seconds, let next):
            Thread.sleep(forTimeInterval: seconds)
            perform(next, on: connection)
        case .respond(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            Sockets.write(connection, Array((head + "\r\n" + body).utf8))
        }
    }
}
