import NIOCore
import Synchronization

/// Deadlines of store calls (how long a call waits for a pooled connection, when a slow call
/// is reported), fired by one repeating sweep instead of one scheduled task each.
///
/// Why not `EventLoop.scheduleTask` per call: NIO cancels a scheduled task by searching its
/// whole queue, and every call cancels its timers when it ends. With thousands of calls
/// waiting for one of the pool's connections at once (10,000 long polls re-issued together),
/// each finished call paid for all the waiting ones: a profile of the soak found 15% of a
/// node's time there. Here arming and disarming are a dictionary insert and remove.
///
/// Calls arm with a handful of fixed timeouts, and the clock only moves forward, so deadlines
/// armed with one timeout come due in the order they were armed: each timeout keeps its ids in
/// a FIFO lane, and a sweep looks only at the lanes' heads.
final class CallDeadlines: Sendable {
    struct Token: Sendable {
        fileprivate let id: UInt64
    }

    private struct Armed {
        let deadline: NIODeadline
        let action: @Sendable () -> Void
    }

    /// Ids in the order they were armed (so in deadline order); disarmed ids are skipped.
    private struct Lane {
        var ids: [UInt64] = []
        var head = 0

        /// Takes the armed ids due by `now` out of `armed`, in deadline order.
        mutating func takeDue(by now: NIODeadline, from armed: inout [UInt64: Armed]) -> [Armed] {
            var due: [Armed] = []
            while head < ids.count {
                if let entry = armed[ids[head]] {
                    guard entry.deadline <= now else { break }
                    armed[ids[head]] = nil
                    due.append(entry)
                }
                head += 1
            }
            if head > 1024, head * 2 > ids.count {
                ids.removeFirst(head)
                head = 0
            }
            return due
        }
    }

    private struct State {
        var nextId: UInt64 = 0
        var armed: [UInt64: Armed] = [:]
        var lanes: [Int64: Lane] = [:]
    }

    private let state = Mutex(State())
    private let sweeper = Mutex<RepeatedTask?>(nil)

    /// Sweeps every `resolution` on `loop` until `stop()`: a deadline fires up to that late.
    init(loop: any EventLoop, resolution: TimeAmount = .milliseconds(50)) {
        let task = loop.scheduleRepeatedTask(initialDelay: resolution, delay: resolution) { [weak self] _ in
            self?.sweep()
        }
        sweeper.withLock { $0 = task }
    }

    /// Without a repeating sweep: the caller sweeps (tests).
    init() {}

    func stop() {
        sweeper.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    /// Runs `action` once `timeout` has passed, unless disarmed first.
    func arm(in timeout: TimeAmount, now: NIODeadline = .now(), _ action: @escaping @Sendable () -> Void) -> Token {
        state.withLock { state in
            state.nextId += 1
            let id = state.nextId
            state.armed[id] = Armed(deadline: now + timeout, action: action)
            state.lanes[timeout.nanoseconds, default: Lane()].ids.append(id)
            return Token(id: id)
        }
    }

    func disarm(_ token: Token) {
        state.withLock { _ = $0.armed.removeValue(forKey: token.id) }
    }

    /// Deadlines armed and not yet fired or disarmed.
    var armedCount: Int { state.withLock { $0.armed.count } }

    /// Fires what is due by `now` in deadline order across the lanes (outside the lock: an
    /// action may arm or disarm).
    func sweep(now: NIODeadline = .now()) {
        let due = state.withLock { state -> [Armed] in
            var due: [Armed] = []
            for key in Array(state.lanes.keys) {
                due += state.lanes[key]!.takeDue(by: now, from: &state.armed)
            }
            return due
        }
        // Each lane gives its due deadlines in order; the lanes interleave.
        for entry in due.sorted(by: { $0.deadline < $1.deadline }) { entry.action() }
    }
}
