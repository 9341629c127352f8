import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import WharfPostgres

/// The PostgreSQL store's call deadlines (lease timeouts, slow-call warnings), swept by hand
/// with a chosen "now": no test waits for a timeout.
struct CallDeadlinesTests {
    private final class Fired: Sendable {
        let names = Mutex<[String]>([])
        func record(_ name: String) -> @Sendable () -> Void { { self.names.withLock { $0.append(name) } } }
        var all: [String] { names.withLock { $0 } }
    }

    @Test func firesWhatIsDueOnceAndInDeadlineOrder() {
        let deadlines = CallDeadlines(), fired = Fired()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        _ = deadlines.arm(in: .seconds(5), now: start, fired.record("5s-a"))
        _ = deadlines.arm(in: .seconds(1), now: start, fired.record("1s"))
        _ = deadlines.arm(in: .seconds(5), now: start + .seconds(2), fired.record("5s-b"))

        deadlines.sweep(now: start + .milliseconds(999))
        #expect(fired.all.isEmpty)
        deadlines.sweep(now: start + .seconds(5))
        #expect(fired.all == ["1s", "5s-a"])
        deadlines.sweep(now: start + .seconds(7))
        deadlines.sweep(now: start + .seconds(60))
        #expect(fired.all == ["1s", "5s-a", "5s-b"])
        #expect(deadlines.armedCount == 0)
    }

    @Test func aDisarmedDeadlineNeverFiresAndDoesNotHoldBackLaterOnes() {
        let deadlines = CallDeadlines(), fired = Fired()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let first = deadlines.arm(in: .seconds(5), now: start, fired.record("first"))
        _ = deadlines.arm(in: .seconds(5), now: start + .seconds(1), fired.record("second"))
        deadlines.disarm(first)
        #expect(deadlines.armedCount == 1)

        deadlines.sweep(now: start + .seconds(6))
        #expect(fired.all == ["second"])
    }

    @Test func manyArmedAndDisarmedLeaveNothingBehind() {
        let deadlines = CallDeadlines(), fired = Fired()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        for round in 0..<10 {
            let tokens = (0..<5_000).map { _ in
                deadlines.arm(in: .seconds(5), now: start + .seconds(Int64(round)), fired.record("late"))
            }
            tokens.forEach(deadlines.disarm)
            deadlines.sweep(now: start + .seconds(Int64(round + 6)))
        }
        #expect(deadlines.armedCount == 0)
        #expect(fired.all.isEmpty)
    }

    @Test func theRepeatingSweepFiresOnItsLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let deadlines = CallDeadlines(loop: loop, resolution: .milliseconds(5))
        defer { deadlines.stop() }
        let fired = Fired()
        _ = deadlines.arm(in: .milliseconds(1), fired.record("soon"))
        for _ in 0..<400 where fired.all.isEmpty {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(fired.all == ["soon"])
    }
}
