import Foundation
import Testing
@testable import WharfServer

/// The small HTTP pieces the channel handler relies on: the Date header and target splitting.
struct HTTPPiecesTests {
    @Test(arguments: [
        (Int64(0), "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"), // RFC 9110's example
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_709_251_199, "Thu, 29 Feb 2024 23:59:59 GMT"),
        (1_795_347_038, "Sun, 22 Nov 2026 11:30:38 GMT"),
        (4_102_444_800, "Fri, 01 Jan 2100 00:00:00 GMT"),
    ])
    func dateHeaderKnownValues(seconds: Int64, expected: String) {
        #expect(HTTPDateCache.format(epochSeconds: seconds) == expected)
    }

    @Test func dateHeaderAgreesWithFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let seconds = Int64.random(in: 0...4_102_444_800, using: &generator)
            #expect(HTTPDateCache.format(epochSeconds: seconds)
                    == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))))
        }
    }

    @Test func dateHeaderIsCachedPerSecond() {
        let cache = HTTPDateCache()
        #expect(cache.current(nowMillis: 784_111_777_000) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(cache.current(nowMillis: 784_111_777_999) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(cache.current(nowMillis: 784_111_778_000) == "Sun, 06 Nov 1994 08:49:38 GMT")
    }

    @Test(arguments: [
        ("/", "/", nil),
        ("/health", "/health", nil),
        ("/000000000000/jobs?Action=ReceiveMessage", "/000000000000/jobs", "Action=ReceiveMessage"),
        ("/?", "/", ""),
        ("?Action=ListQueues", "/", "Action=ListQueues"),
        ("/a%2Fb?x=1#frag", "/a%2Fb", "x=1"),
        ("/a?x=1?y=2", "/a", "x=1?y=2"),
        ("http://host:9324/000000000000/q?Action=X", "/000000000000/q", "Action=X"),
        ("http://host:9324", "/", nil),
    ] as [(String, String, String?)])
    func targetsSplitIntoRawPathAndQuery(target: String, path: String, query: String?) {
        let split = RequestTarget.split(target)
        #expect(split.path == path)
        #expect(split.query == query)
    }
}
