import Logging
import Synchronization
import Testing
import WharfEngine
@testable import WharfServer

/// `--min-free-disk`: refusals below the floor, cached for a second, through a fake disk and a
/// manual clock.
@Suite struct DiskWatermarkTests {
    final class FakeDisk: Sendable {
        let space = Mutex(DiskSpace(freeBytes: 10_000_000_000, totalBytes: 100_000_000_000))
        let reads = Atomic<Int>(0)
        func read() -> DiskSpace? {
            reads.add(1, ordering: .relaxed)
            return space.withLock { $0 }
        }
        func setFree(_ bytes: Int64) { space.withLock { $0.freeBytes = bytes } }
    }

    func watermark(floor: Int64, disk: FakeDisk, clock: ManualClock) -> DiskWatermark {
        DiskWatermark(floorBytes: { _ in floor }, floorDescription: "\(floor)", space: { disk.read() },
                      clock: clock, logger: Logger(label: "test"))
    }

    @Test func refusesBelowTheFloorAndResumesAboveIt() {
        let disk = FakeDisk(), clock = ManualClock()
        let watermark = watermark(floor: 256 * 1_048_576, disk: disk, clock: clock)
        #expect(watermark.refusalReason() == nil)
        disk.setFree(100 * 1_048_576)
        clock.advance(byMillis: 1_000)
        let reason = watermark.refusalReason()
        #expect(reason?.contains("below its free-space watermark") == true)
        #expect(reason?.contains("100 MiB free") == true)
        disk.setFree(300 * 1_048_576)
        clock.advance(byMillis: 1_000)
        #expect(watermark.refusalReason() == nil)
    }

    @Test func readsTheDiskAtMostOnceASecond() {
        let disk = FakeDisk(), clock = ManualClock()
        let watermark = watermark(floor: 1_000, disk: disk, clock: clock)
        for _ in 0..<1_000 { _ = watermark.refusalReason() }
        #expect(disk.reads.load(ordering: .relaxed) == 1)
        // Within the second the cached answer stands, even though the disk filled up.
        disk.setFree(10)
        clock.advance(byMillis: 999)
        #expect(watermark.refusalReason() == nil)
        clock.advance(byMillis: 1)
        #expect(watermark.refusalReason() != nil)
        #expect(disk.reads.load(ordering: .relaxed) == 2)
    }

    @Test func anUnreadableDiskDoesNotStopWrites() {
        let clock = ManualClock()
        let watermark = DiskWatermark(floorBytes: { _ in 1_000 }, floorDescription: "1000", space: { nil },
                                      clock: clock, logger: Logger(label: "test"))
        #expect(watermark.refusalReason() == nil)
    }

    @Test func aShareOfTheDiskIsMeasuredAgainstItsSize() {
        let disk = FakeDisk(), clock = ManualClock()
        disk.setFree(4_000_000_000)  // 4% of 100 GB
        let watermark = DiskWatermark(floorBytes: { $0 * 5 / 100 }, floorDescription: "5%", space: { disk.read() },
                                      clock: clock, logger: Logger(label: "test"))
        #expect(watermark.refusalReason()?.contains("min-free-disk 5%") == true)
    }
}
