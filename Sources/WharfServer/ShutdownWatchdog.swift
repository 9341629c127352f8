import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Bounds a graceful shutdown from outside Swift concurrency: once started, it ends the
/// process after `seconds` unless disarmed first.
///
/// Why: the service group cancels what outlives `--shutdown-timeout`, but a cancelled task can
/// only end if its thread runs. A soak with 10,000 connections once left an event loop blocked
/// for good in swift-async-algorithms' `merge` lock (reached through Hummingbird's date cache
/// and its `cancelOnGracefulShutdown()`); the process sat idle after SIGTERM until SIGKILL. A
/// timer on a Dispatch queue still fires then. Exiting unclean loses nothing: every change that
/// was acknowledged is already durable (the same guarantee as a crash).
///
/// It does not catch signals itself (a second Dispatch signal source next to the service
/// group's changed how SIGTERM was handled): `ShutdownWatchdogService` starts it when the group's
/// graceful shutdown begins.
public final class ShutdownWatchdog: Sendable {
    private let seconds: Double
    private let logger: Logger
    private let exit: @Sendable () -> Void
    private let state = Mutex(State.idle)
    private enum State { case idle, started, disarmed }
    /// Runs the check `seconds` from now: a Dispatch timer (its threads are not the event loops
    /// or the concurrency pool that may be stuck); tests run it when they choose.
    private let schedule: @Sendable (Double, @escaping @Sendable () -> Void) -> Void

    public init(seconds: Double, logger: Logger, exit: @escaping @Sendable () -> Void = { _exit(1) },
                schedule: @escaping @Sendable (Double, @escaping @Sendable () -> Void) -> Void = { delay, work in
                    DispatchQueue(label: "wharf.shutdown-watchdog").asyncAfter(deadline: .now() + delay, execute: work)
                }) {
        self.seconds = seconds
        self.logger = logger
        self.exit = exit
        self.schedule = schedule
    }

    /// Starts the countdown (once; later calls change nothing).
    public func start() {
        let starts = state.withLock { state in
            guard case .idle = state else { return false }
            state = .started
            return true
        }
        guard starts else { return }
        schedule(seconds) { [self] in
            guard state.withLock({ if case .started = $0 { true } else { false } }) else { return }
            logger.error("shutdown did not finish \(seconds) s after it began: exiting now (status 1); every acknowledged change is already durable")
            exit()
        }
    }

    /// The shutdown finished in time: the countdown, if running, ends nothing.
    public func disarm() {
        state.withLock { $0 = .disarmed }
    }
}

/// Starts a watchdog when the service group's graceful shutdown begins (and then returns, so
/// that it holds up nothing).
public struct ShutdownWatchdogService: Service {
    let watchdog: ShutdownWatchdog
    public init(_ watchdog: ShutdownWatchdog) { self.watchdog = watchdog }

    public func run() async throws {
        try? await gracefulShutdown()
        watchdog.start()
    }
}
