import NIOCore
import NIOHTTP1
import Testing
import WharfProtocol
@testable import WharfServer

/// Every transition of a connection's life, without a channel: the events SQSChannelHandler
/// feeds the machine and the actions it must perform.
struct ConnectionStateMachineTests {
    static let cap = 10

    static func head(_ uri: String = "/", headers: [(String, String)] = [],
                     version: HTTPVersion = .http1_1) -> HTTPRequestHead {
        HTTPRequestHead(version: version, method: .POST, uri: uri, headers: HTTPHeaders(headers))
    }

    static func part(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static let reply = EncodedResponse(status: 200, headers: [], body: Array("{}".utf8))

    /// The machine after a complete request without a body: a reply is being computed.
    static func responding(_ head: HTTPRequestHead = head()) -> ConnectionStateMachine {
        var machine = ConnectionStateMachine(maxBodyBytes: cap)
        _ = machine.receivedHead(head)
        _ = machine.receivedEnd()
        return machine
    }

    // MARK: reading a request

    @Test func bodyPartsAreBufferedAndDispatchedAtTheEnd() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        #expect(machine.receivedHead(Self.head("/q", headers: [("content-length", "6")])).summary == "ignore")
        #expect(machine.state.summary == "readingBody")
        #expect(machine.receivedBodyPart(Self.part("abc")).summary == "ignore")
        #expect(machine.receivedBodyPart(Self.part("def")).summary == "ignore")
        #expect(machine.receivedEnd().summary == "dispatch /q abcdef")
        #expect(machine.state.summary == "responding")
    }

    @Test func requestWithoutBodyIsDispatchedWithAnEmptyOne() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head("/health"))
        #expect(machine.receivedEnd().summary == "dispatch /health ")
    }

    @Test func bodyOfExactlyTheCapIsDispatched() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head(headers: [("transfer-encoding", "chunked")]))
        _ = machine.receivedBodyPart(Self.part("12345"))
        _ = machine.receivedBodyPart(Self.part("67890"))
        #expect(machine.receivedEnd().summary == "dispatch / 1234567890")
    }

    @Test func declaredLengthOverTheCapIsAnsweredBeforeTheBody() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        #expect(machine.receivedHead(Self.head("/big", headers: [("content-length", "11")])).summary == "413 /big")
        #expect(machine.state.summary == "responding(bodyPending)")
        // The body still arrives, and is dropped.
        #expect(machine.receivedBodyPart(Self.part("01234567890")).summary == "ignore")
        #expect(machine.receivedEnd().summary == "ignore")
        #expect(machine.state.summary == "responding")
        #expect(machine.replyReady(Self.reply).summary == "write 200 keep-alive")
        #expect(machine.state.summary == "idle")
    }

    @Test func earlyAnswerWrittenBeforeTheBodyEndsDropsTheRest() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head(headers: [("content-length", "100")]))
        #expect(machine.replyReady(Self.reply).summary == "write 200 keep-alive")
        #expect(machine.state.summary == "discardingBody")
        #expect(machine.receivedBodyPart(Self.part("0123456789")).summary == "ignore")
        #expect(machine.receivedEnd().summary == "ignore")
        #expect(machine.state.summary == "idle")
        // The connection serves the next request.
        #expect(machine.receivedHead(Self.head("/next")).summary == "ignore")
        #expect(machine.receivedEnd().summary == "dispatch /next ")
    }

    @Test func bodyGrowingPastTheCapIsDrainedThenAnswered() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head("/chunked", headers: [("transfer-encoding", "chunked")]))
        #expect(machine.receivedBodyPart(Self.part("012345")).summary == "ignore")
        #expect(machine.receivedBodyPart(Self.part("67890")).summary == "ignore")
        #expect(machine.state.summary == "draining")
        #expect(machine.receivedBodyPart(Self.part("more")).summary == "ignore")
        #expect(machine.receivedEnd().summary == "413 /chunked")
        #expect(machine.replyReady(Self.reply).summary == "write 200 keep-alive")
        #expect(machine.state.summary == "idle")
    }

    // MARK: keep-alive and close

    @Test func keepAliveServesTheNextRequest() {
        var machine = Self.responding()
        #expect(machine.replyReady(Self.reply).summary == "write 200 keep-alive")
        #expect(machine.state.summary == "idle")
        _ = machine.receivedHead(Self.head("/second"))
        #expect(machine.receivedEnd().summary == "dispatch /second ")
    }

    @Test func eachRequestOfAKeptAliveConnectionHasItsOwnBody() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head("/one"))
        _ = machine.receivedBodyPart(Self.part("first"))
        let first = machine.receivedEnd()
        _ = machine.replyReady(Self.reply)
        _ = machine.receivedHead(Self.head("/two"))
        _ = machine.receivedBodyPart(Self.part("2nd"))
        #expect(machine.receivedEnd().summary == "dispatch /two 2nd")
        #expect(first.summary == "dispatch /one first")
    }

    @Test func connectionCloseClosesOnceTheReplyIsWritten() {
        var machine = Self.responding(Self.head(headers: [("connection", "close")]))
        #expect(machine.replyReady(Self.reply).summary == "write 200 close")
        #expect(machine.state.summary == "closing")
        // A request pipelined behind it is not served.
        #expect(machine.receivedHead(Self.head("/late")).summary == "ignore")
        #expect(machine.receivedEnd().summary == "ignore")
        #expect(machine.replyWritten().summary == "close")
        #expect(machine.state.summary == "closed")
    }

    @Test(arguments: [
        ([], "write 200 close"),
        ([("connection", "keep-alive")], "write 200 keep-alive"),
    ] as [([(String, String)], String)])
    func http10KeepsTheConnectionOnlyWhenAsked(headers: [(String, String)], expected: String) {
        var machine = Self.responding(Self.head(headers: headers, version: .http1_0))
        #expect(machine.replyReady(Self.reply).summary == expected)
    }

    @Test func earlyAnswerWithConnectionCloseCloses() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head(headers: [("content-length", "100"), ("connection", "close")]))
        #expect(machine.replyReady(Self.reply).summary == "write 200 close")
        #expect(machine.receivedBodyPart(Self.part("0123456789")).summary == "ignore")
        #expect(machine.replyWritten().summary == "close")
    }

    @Test func replyWrittenWhileKeptAliveChangesNothing() {
        var machine = Self.responding()
        _ = machine.replyReady(Self.reply)
        #expect(machine.replyWritten().summary == "ignore")
        #expect(machine.state.summary == "idle")
    }

    // MARK: half-closed clients and quiescing servers

    @Test func halfClosedClientStillGetsItsReplyThenClose() {
        var machine = Self.responding()
        #expect(machine.inputClosed().summary == "ignore")
        #expect(machine.replyReady(Self.reply).summary == "write 200 close")
        #expect(machine.replyWritten().summary == "close")
    }

    @Test func halfClosedDuringTheBodyAnswersThenCloses() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head(headers: [("content-length", "2")]))
        #expect(machine.inputClosed().summary == "ignore")
        _ = machine.receivedBodyPart(Self.part("ab"))
        #expect(machine.receivedEnd().summary == "dispatch / ab")
        #expect(machine.replyReady(Self.reply).summary == "write 200 close")
    }

    @Test func halfClosedWhileDrainingAnswers413ThenCloses() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head(headers: [("transfer-encoding", "chunked")]))
        _ = machine.receivedBodyPart(Self.part("0123456789!"))
        #expect(machine.inputClosed().summary == "ignore")
        #expect(machine.receivedEnd().summary == "413 /")
        #expect(machine.replyReady(Self.reply).summary == "write 200 close")
    }

    @Test func halfClosedIdleConnectionClosesAtOnce() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        #expect(machine.inputClosed().summary == "close")
        #expect(machine.state.summary == "closed")
        #expect(machine.inputClosed().summary == "ignore")
    }

    @Test func halfClosedAfterTheEarlyAnswerClosesAtOnce() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head(headers: [("content-length", "100")]))
        _ = machine.replyReady(Self.reply)
        #expect(machine.inputClosed().summary == "close")
    }

    @Test func quiesceDuringAReplyClosesAfterIt() {
        var machine = Self.responding()
        #expect(machine.quiesce().summary == "ignore")
        #expect(machine.replyReady(Self.reply).summary == "write 200 close")
        #expect(machine.quiesce().summary == "ignore")
        #expect(machine.replyWritten().summary == "close")
    }

    @Test func quiesceWhileReadingAnswersThenCloses() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head())
        #expect(machine.quiesce().summary == "ignore")
        #expect(machine.receivedEnd().summary == "dispatch / ")
        #expect(machine.replyReady(Self.reply).summary == "write 200 close")
    }

    @Test func quiesceOfAnIdleConnectionClosesAtOnce() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        #expect(machine.quiesce().summary == "close")
    }

    // MARK: idle timeout

    @Test func idleTimeoutIsIgnoredWhileAReplyIsComputed() {
        var machine = Self.responding()
        #expect(machine.idleTimeout().summary == "ignore")
        #expect(machine.idleTimeout().summary == "ignore")
        #expect(machine.replyReady(Self.reply).summary == "write 200 keep-alive")
        #expect(machine.idleTimeout().summary == "close")
    }

    @Test func idleTimeoutClosesAStalledUpload() {
        var machine = ConnectionStateMachine(maxBodyBytes: Self.cap)
        _ = machine.receivedHead(Self.head(headers: [("content-length", "5")]))
        _ = machine.receivedBodyPart(Self.part("ab"))
        #expect(machine.idleTimeout().summary == "close")
        #expect(machine.receivedBodyPart(Self.part("cde")).summary == "ignore")
        #expect(machine.receivedEnd().summary == "ignore")
    }

    @Test func idleTimeoutClosesAReplyThatCannotBeWritten() {
        var machine = Self.responding(Self.head(headers: [("connection", "close")]))
        _ = machine.replyReady(Self.reply)
        #expect(machine.idleTimeout().summary == "close")
        #expect(machine.replyWritten().summary == "ignore")
    }

    // MARK: the channel going away

    @Test func replyOfAClosedConnectionIsDropped() {
        var machine = Self.responding()
        machine.channelInactive()
        #expect(machine.replyReady(Self.reply).summary == "ignore")
        #expect(machine.idleTimeout().summary == "ignore")
    }

    @Test func errorClosesOnce() {
        var machine = Self.responding()
        #expect(machine.errorCaught().summary == "close")
        #expect(machine.errorCaught().summary == "ignore")
        #expect(machine.replyReady(Self.reply).summary == "ignore")
    }

    @Test func headWhileARequestIsInProgressCloses() {
        var machine = Self.responding()
        #expect(machine.receivedHead(Self.head()).summary == "close")
        #expect(machine.state.summary == "closed")
    }
}

extension ConnectionStateMachine.Action {
    /// A line per action, so tests compare what matters (EncodedResponse is not Equatable).
    var summary: String {
        switch self {
        case .ignore: return "ignore"
        case .dispatch(let head, let body): return "dispatch \(head.uri) \(String(buffer: body))"
        case .answerTooLarge(let head): return "413 \(head.uri)"
        case .writeReply(let reply, let closeAfter): return "write \(reply.status) \(closeAfter ? "close" : "keep-alive")"
        case .close: return "close"
        }
    }
}

extension ConnectionStateMachine.State {
    var summary: String {
        switch self {
        case .idle: return "idle"
        case .readingBody: return "readingBody"
        case .draining: return "draining"
        case .responding(_, let bodyPending): return bodyPending ? "responding(bodyPending)" : "responding"
        case .discardingBody: return "discardingBody"
        case .closing: return "closing"
        case .closed: return "closed"
        }
    }
}
