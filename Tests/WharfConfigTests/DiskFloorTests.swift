import Testing
import WharfConfig

/// `min-free-disk`: sizes with SI and binary units, a share of the disk, 0 for off.
@Suite struct DiskFloorTests {
    @Test func readsSizesAndShares() {
        #expect(DiskFloor("500MB") == .bytes(500_000_000))
        #expect(DiskFloor("1GiB") == .bytes(1_073_741_824))
        #expect(DiskFloor("256 MiB") == .bytes(268_435_456))
        #expect(DiskFloor("1048576") == .bytes(1_048_576))
        #expect(DiskFloor("5%") == .percent(5))
        #expect(DiskFloor("0.5%")?.bytes(ofDiskSize: 1_000_000) == 5_000)
        #expect(DiskFloor("0")?.isOff == true)
        #expect(DiskFloor("0%")?.isOff == true)
        #expect(DiskFloor.standard.isOff == false)
        for bad in ["", "lots", "-1MB", "100%", "5 %%", "1.5.2GB", "12XB"] { #expect(DiskFloor(bad) == nil, "\(bad)") }
    }

    @Test func isASettingLikeAnyOther() throws {
        let environment = try ServerSettings(environment: ["WHARF_MIN_FREE_DISK": "1GiB"])
        #expect(environment.diskFloor(.minFreeDisk) == .bytes(1_073_741_824))
        let file = try ConfigFile.parse("server:\n  min-free-disk: 5%\n", path: "w.yaml")
        #expect(file.server.diskFloor(.minFreeDisk) == .percent(5))
        do {
            _ = try ConfigFile.parse("server:\n  min-free-disk: plenty\n", path: "w.yaml")
            Issue.record("a bad size was taken")
        } catch {
            #expect("\(error)".contains("w.yaml:2"))
        }
    }
}
