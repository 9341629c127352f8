#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Stops evaluation before it overflows the thread's stack.
///
/// User functions can recurse (`{f: function(n) f(n + 1)}`), and the thread an expression
/// runs on may be small (512 KiB for a Swift concurrency thread on Darwin) or large (8 MiB
/// on Linux); debug builds use several times the stack of release ones. So the guard looks
/// at the real stack: it finds the thread's lowest stack address once per evaluation, and
/// evaluation fails with `recursionTooDeep` once less than a margin is left.
struct StackGuard {
    /// The lowest address evaluation may reach; 0 when the stack bounds are unknown.
    let limit: UInt

    init() {
        guard let (low, size) = StackGuard.threadStack() else { limit = 0; return }
        let margin = max(96 * 1024, size / 8)
        limit = low + UInt(margin)
    }

    /// True while the current stack position is above the limit (stacks grow down).
    @inline(__always)
    func hasRoom() -> Bool {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } > limit
    }

    /// (lowest address, size) of the current thread's stack.
    private static func threadStack() -> (UInt, Int)? {
        #if canImport(Darwin)
        let thread = pthread_self()
        let top = UInt(bitPattern: pthread_get_stackaddr_np(thread))
        let size = pthread_get_stacksize_np(thread)
        return (top - UInt(size), size)
        #elseif canImport(Glibc) || canImport(Musl)
        guard let getattr = getattrNP else { return nil }
        var attributes = pthread_attr_t()
        guard getattr(pthread_self(), &attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        var address: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return nil }
        return (UInt(bitPattern: address), size)
        #else
        return nil
        #endif
    }

    #if !canImport(Darwin) && (canImport(Glibc) || canImport(Musl))
    private typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32

    /// `pthread_getattr_np`, a GNU extension the Glibc module does not import (it needs
    /// _GNU_SOURCE), looked up in the C library at run time.
    private static let getattrNP: GetAttr? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "pthread_getattr_np") else { return nil }
        return unsafeBitCast(symbol, to: GetAttr.self)
    }()
    #endif
}
