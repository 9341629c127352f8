import Foundation
import Logging
import Synchronization
import Testing
@testable import WharfServer

/// The watchdog ends the process a bound after the shutdown began, unless disarmed; `exit` is a
/// probe instead of `_exit`.
struct ShutdownWatchdogTests {
    let logger = Logger(label: "test")

    @Test(.timeLimit(.minutes(1))) func exitsTheBoundAfterTheShutdownBegan() async {
        let fired = Atomic<Int>(0)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let watchdog = ShutdownWatchdog(seconds: 0.05, logger: logger) {
                if fired.add(1, ordering: .relaxed).oldValue == 0 { done.resume() }
            }
            watchdog.start()
            watchdog.start()   // once only
        }
        #expect(fired.load(ordering: .relaxed) == 1)
    }

    @Test func aShutdownThatFinishedInTimeIsNotCutShort() async throws {
        let fired = Atomic<Int>(0)
        let watchdog = ShutdownWatchdog(seconds: 0.2, logger: logger) { fired.add(1, ordering: .relaxed) }
        watchdog.start()
        try await Task.sleep(for: .milliseconds(50))
        watchdog.disarm()
        try await Task.sleep(for: .milliseconds(400))
        #expect(fired.load(ordering: .relaxed) == 0)
    }

    @Test func isNotStartedBeforeTheShutdown() async throws {
        let fired = Atomic<Int>(0)
        _ = ShutdownWatchdog(seconds: 0.01, logger: logger) { fired.add(1, ordering: .relaxed) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(fired.load(ordering: .relaxed) == 0)
    }
}
