import Foundation

/// A FEEL time of day, to the nanosecond, with an optional zone (offset or zone id).
public struct FEELTime: Sendable, Hashable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let nanosecond: Int
    public let zone: FEELZone?

    public init?(hour: Int, minute: Int, second: Int, nanosecond: Int = 0, zone: FEELZone? = nil) {
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second),
              (0..<1_000_000_000).contains(nanosecond)
        else { return nil }
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.zone = zone
    }

    init(secondOfDay: Int, nanosecond: Int, zone: FEELZone?) {
        let s = ((secondOfDay % 86_400) + 86_400) % 86_400
        self.init(hour: s / 3600, minute: s / 60 % 60, second: s % 60, nanosecond: nanosecond, zone: zone)!
    }

    public var secondOfDay: Int { hour * 3600 + minute * 60 + second }

    /// Seconds (with the fraction) since midnight.
    var exactSecondOfDay: Decimal { Decimal(secondOfDay) + Decimal(nanosecond) / 1_000_000_000 }

    /// The time with the same zone, shifted (wrapping around midnight).
    func adding(seconds: Decimal) -> FEELTime {
        let total = exactSecondOfDay + seconds
        let whole = total.rounded(scale: 0, .down)
        let nanos = ((total - whole) * 1_000_000_000).rounded(scale: 0, .down).exactInt ?? 0
        let wrapped = whole.exactInt.map { (($0 % 86_400) + 86_400) % 86_400 } ?? 0
        return FEELTime(secondOfDay: wrapped, nanosecond: nanos, zone: zone)
    }

    /// The offset, when the zone fixes one. A zone id's offset depends on the date; for a
    /// bare time the offset at 1970-01-01 is taken (a deterministic, documented choice).
    var offsetSeconds: Int? {
        switch zone {
        case .offset(let s)?: s
        case .id?: zone?.offset(atLocal: secondOfDay)
        case nil: nil
        }
    }

    /// `HH:mm:ss[.fraction][zone]`; the fraction in groups of three digits, as Java prints it.
    public var description: String {
        twoDigits(hour) + ":" + twoDigits(minute) + ":" + twoDigits(second)
            + FEELTime.fraction(nanosecond) + (zone?.description ?? "")
    }

    static func fraction(_ nanos: Int) -> String {
        guard nanos > 0 else { return "" }
        var digits = String(nanos)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.count > 3, digits.hasSuffix("000") { digits.removeLast(3) }
        return "." + digits
    }
}
