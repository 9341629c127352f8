import Foundation

/// The zone part of a FEEL time or date and time: a fixed offset (`+02:00`, `Z`) or an
/// IANA zone id (`@Europe/Paris`), whose offset depends on the instant.
public enum FEELZone: Sendable, Hashable, CustomStringConvertible {
    /// Seconds east of UTC.
    case offset(Int)
    case id(String)

    /// `Z`, `+05:30`, `-01:00:30` or `@Europe/Paris`, as FEEL prints them.
    public var description: String {
        switch self {
        case .offset(let seconds): FEELZone.offsetText(seconds)
        case .id(let id): "@" + id
        }
    }

    static func offsetText(_ seconds: Int) -> String {
        guard seconds != 0 else { return "Z" }
        let magnitude = seconds.magnitude
        var text = (seconds < 0 ? "-" : "+") + twoDigits(Int(magnitude / 3600)) + ":" + twoDigits(Int(magnitude / 60 % 60))
        if magnitude % 60 != 0 { text += ":" + twoDigits(Int(magnitude % 60)) }
        return text
    }

    /// The offset in force at a UTC instant (epoch seconds).
    func offset(atInstant instant: Int) -> Int {
        switch self {
        case .offset(let seconds): seconds
        case .id(let id): ZoneRules.offset(zone: id, instant: instant)
        }
    }

    /// The offset for a local wall-clock time (epoch seconds as if it were UTC). In a gap
    /// or an overlap this takes the offset in force just before, as Java's `ZonedDateTime.of`.
    func offset(atLocal local: Int) -> Int {
        switch self {
        case .offset(let seconds): return seconds
        case .id(let id):
            let guess = ZoneRules.offset(zone: id, instant: local)
            let actual = ZoneRules.offset(zone: id, instant: local - guess)
            if actual == guess { return guess }
            // Either side of a transition: prefer the earlier offset if it maps back.
            let earlier = ZoneRules.offset(zone: id, instant: local - actual)
            return earlier == actual ? actual : max(guess, actual)
        }
    }
}

/// Zone ids resolved through Foundation's `TimeZone` (the system tz database), cached:
/// building a `TimeZone` reads a file.
enum ZoneRules {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var zones: [String: TimeZone?] = [:]
    }

    private static let cache = Cache()

    static func zone(_ id: String) -> TimeZone? {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let known = cache.zones[id] { return known }
        // Only region ids and Etc/… names: TimeZone also accepts abbreviations ("EST"),
        // which FEEL does not.
        let zone = id.contains("/") || id == "UTC" ? TimeZone(identifier: id) : nil
        cache.zones[id] = zone
        return zone
    }

    static func isValid(_ id: String) -> Bool { zone(id) != nil }

    static func offset(zone id: String, instant: Int) -> Int {
        guard let zone = zone(id) else { return 0 }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }
}
