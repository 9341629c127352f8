import Foundation

/// The `min-free-disk` setting: the free space below which a SQLite node refuses writes that
/// grow its store (see DiskWatermark in WharfServer). Either a size — a whole number of bytes,
/// or with a unit: `KB`, `MB`, `GB`, `TB` (powers of 1000) or `KiB`, `MiB`, `GiB`, `TiB`
/// (powers of 1024) — or a share of the file system, `5%`. `0` turns the watermark off.
public enum DiskFloor: Sendable, Equatable, CustomStringConvertible {
    case bytes(Int64)
    case percent(Double)

    /// 256 MiB: a fixed size rather than a share, since a share of a large disk is a lot of
    /// space held back (5% of 2 TB is 100 GB) and a share of a small one too little; 256 MiB
    /// is many times what the store writes between two checkpoints (a WAL of ~1000 pages, 4 MB)
    /// and leaves room for the receives and deletes that drain a queue — they write to the WAL
    /// too — and for the WAL of a reader that holds checkpoints back for a while.
    public static let standard = DiskFloor.bytes(256 * 1_048_576)

    private static let units: [(suffix: String, factor: Int64)] = [
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("tib", 1 << 40),
        ("kb", 1_000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("tb", 1_000_000_000_000), ("b", 1),
    ]

    /// `500MB`, `1GiB`, `5%`, `1048576`; nil when the text is none of these.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasSuffix("%") {
            guard let share = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)),
                  share >= 0, share < 100 else { return nil }
            self = .percent(share)
            return
        }
        for unit in Self.units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value >= 0, value * Double(unit.factor) < 9e18 else { return nil }
            self = .bytes(Int64(value * Double(unit.factor)))
            return
        }
        guard let value = Int64(trimmed), value >= 0 else { return nil }
        self = .bytes(value)
    }

    /// The floor on a file system of `totalBytes`.
    public func bytes(ofDiskSize totalBytes: Int64) -> Int64 {
        switch self {
        case .bytes(let bytes): bytes
        case .percent(let share): Int64(Double(totalBytes) * share / 100)
        }
    }

    /// Whether the watermark is off.
    public var isOff: Bool { bytes(ofDiskSize: Int64.max / 200) == 0 }

    public var description: String {
        switch self {
        case .bytes(let bytes): bytes % 1_048_576 == 0 ? "\(bytes / 1_048_576)MiB" : "\(bytes) bytes"
        case .percent(let share): "\(share)%"
        }
    }
}
