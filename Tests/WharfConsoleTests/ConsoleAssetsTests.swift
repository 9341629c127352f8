import Foundation
import Testing
@testable import WharfConsole

/// The files the binary serves are the files under Sources/WharfConsole/Assets, byte for byte:
/// this fails when an asset was edited without `python3 scripts/generate-console-assets.py`.
@Suite struct ConsoleAssetsTests {
    static let assetsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/WharfConsole/Assets")

    static func filesOnDisk() throws -> [String: [UInt8]] {
        let root = assetsDirectory.standardizedFileURL.path
        var files: [String: [UInt8]] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        for case let relative as String in enumerator {
            var isDirectory: ObjCBool = false
            let path = root + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
        return files
    }

    @Test func embeddedFilesMatchTheAssetsDirectory() throws {
        let onDisk = try Self.filesOnDisk()
        #expect(!onDisk.isEmpty)
        let stale = "out of date: run python3 scripts/generate-console-assets.py"
        #expect(Set(onDisk.keys) == Set(ConsoleAssets.byPath.keys), "\(stale)")
        for (path, bytes) in onDisk {
            // A Bool, so that a failure names the file instead of printing both byte arrays.
            let same = ConsoleAssets.byPath[path]?.bytes == bytes
            #expect(same, "\(path) \(stale)")
        }
    }

    @Test func everyETagIsDistinctAndQuoted() {
        let tags = ConsoleAssets.all.map(\.etag)
        #expect(Set(tags).count == tags.count)
        #expect(tags.allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") })
    }

    /// The CSP forbids inline code: the page must not need any.
    @Test func pageHasNoInlineScriptOrStyle() throws {
        let html = String(decoding: try #require(ConsoleAssets.byPath["index.html"]).bytes, as: UTF8.self)
        #expect(!html.contains("<style"))
        #expect(!html.contains("style="))
        #expect(!html.contains(" on"), "inline event handler attribute")
        for script in html.components(separatedBy: "<script").dropFirst() {
            #expect(script.contains("src="), "inline script")
        }
    }
}
