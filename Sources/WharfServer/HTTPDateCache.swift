import SigV4
import Synchronization

/// The `Date` response header (IMF-fixdate, RFC 9110 §5.6.7), formatted once per second.
/// SDKs read it to correct for clock skew.
final class HTTPDateCache: Sendable {
    private let cached = Mutex<(second: Int64, text: String)>((-1, ""))

    func current(nowMillis: Int64) -> String {
        let second = nowMillis / 1000
        return cached.withLock { cached in
            if cached.second != second { cached = (second, Self.format(epochSeconds: second)) }
            return cached.text
        }
    }

    /// e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(epochSeconds: Int64) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondOfDay = epochSeconds - days * 86_400
        let (year, month, day) = AmzDate.civilFromDays(days)
        // 1970-01-01 was a Thursday.
        let weekday = Int((days % 7 + 7 + 4) % 7)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[weekday]), \(two(day)) \(months[Int(month) - 1]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) GMT"
    }
}
