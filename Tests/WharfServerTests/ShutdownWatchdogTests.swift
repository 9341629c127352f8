import Logging
import Synchronization
import Testing
@testable import WharfServer

/// The watchdog ends the process a bound after the shutdown began, unless disarmed first. The
/// timer is captured (no test waits in real time) and `exit` is a probe instead of `_exit`.
struct ShutdownWatchdogTests {
    final class Timers: Sendable {
        let scheduled = Mutex<[(Double, @Sendable () -> Void)]>([])
        func schedule(_ delay: Double, _ work: @escaping @Sendable () -> Void) { scheduled.withLock { $0.append((delay, work)) } }
        func fireAll() { for (_, work) in scheduled.withLock({ $0 }) { work() } }
        var delays: [Double] { scheduled.withLock { $0.map(\.0) } }
    }

    let logger = Logger(label: "test")

    @Test func exitsTheBoundAfterTheShutdownBegan() {
        let fired = Atomic<Int>(0), timers = Timers()
        let watchdog = ShutdownWatchdog(seconds: 20, logger: logger, exit: { fired.add(1, ordering: .relaxed) },
                                        schedule: timers.schedule)
        #expect(timers.delays.isEmpty)   // nothing runs before the shutdown begins
        watchdog.start()
        watchdog.start()                 // once only
        #expect(timers.delays == [20])
        #expect(fired.load(ordering: .relaxed) == 0)
        timers.fireAll()
        #expect(fired.load(ordering: .relaxed) == 1)
    }

    @Test func aShutdownThatFinishedInTimeIsNotCutShort() {
        let fired = Atomic<Int>(0), timers = Timers()
        let watchdog = ShutdownWatchdog(seconds: 20, logger: logger, exit: { fired.add(1, ordering: .relaxed) },
                                        schedule: timers.schedule)
        watchdog.start()
        watchdog.disarm()
        timers.fireAll()
        #expect(fired.load(ordering: .relaxed) == 0)
    }

    @Test(.timeLimit(.minutes(1))) func theDefaultTimerFires() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            ShutdownWatchdog(seconds: 0.01, logger: logger, exit: { done.resume() }).start()
        }
    }
}
