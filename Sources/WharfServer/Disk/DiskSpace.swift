import Foundation

/// Free and total bytes of one file system, as `statvfs` reports them to an unprivileged
/// process (`f_bavail`: what root's reserved blocks leave).
public struct DiskSpace: Sendable, Equatable {
    public var freeBytes: Int64
    public var totalBytes: Int64

    public init(freeBytes: Int64, totalBytes: Int64) {
        self.freeBytes = freeBytes
        self.totalBytes = totalBytes
    }

    /// The file system holding `path`; nil when `statvfs` fails (the path is gone).
    public static func of(_ path: String) -> DiskSpace? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return DiskSpace(freeBytes: Int64(stats.f_bavail) * Int64(stats.f_frsize),
                         totalBytes: Int64(stats.f_blocks) * Int64(stats.f_frsize))
    }
}

/// Free bytes on the file system holding `path`, for the disk gauge.
public func freeBytes(at path: String) -> Int64? { DiskSpace.of(path)?.freeBytes }
