import Foundation

/// A FEEL date and time: a calendar day and a time of day; the zone (if any) is the time's.
/// Stored as local fields plus the zone so that `@"…@Europe/Paris" + @"P1M"` stays on the
/// same wall-clock time, while the instant (`epochSecond`) is derived when FEEL needs it.
public struct FEELDateTime: Sendable, Hashable, CustomStringConvertible {
    public let date: FEELDate
    public let time: FEELTime

    public init(date: FEELDate, time: FEELTime) {
        self.date = date
        self.time = time
    }

    public var zone: FEELZone? { time.zone }

    /// Seconds since the epoch, reading the local fields as if they were UTC.
    var localEpochSecond: Int { date.epochDay * 86_400 + time.secondOfDay }

    /// The offset in force at this wall-clock time, nil for a local date and time.
    var offsetSeconds: Int? { zone?.offset(atLocal: localEpochSecond) }

    /// Seconds since 1970-01-01T00:00:00Z; nil without a zone.
    var epochSecond: Int? { offsetSeconds.map { localEpochSecond - $0 } }

    /// The instant or, for a local value, the local fields, with the fraction: what
    /// subtraction and comparison work on.
    var timeline: Decimal { Decimal(epochSecond ?? localEpochSecond) + Decimal(time.nanosecond) / 1_000_000_000 }

    /// From local epoch seconds (fields read as UTC) and a zone.
    init?(localEpochSecond: Int, nanosecond: Int, zone: FEELZone?) {
        // Beyond ±10^12 days there is no FEEL date (years are at most nine digits).
        guard localEpochSecond.magnitude < 86_400_000_000_000_000 else { return nil }
        let days = localEpochSecond >= 0 ? localEpochSecond / 86_400 : (localEpochSecond - 86_399) / 86_400
        guard let date = FEELDate(epochDay: days) else { return nil }
        self.init(date: date, time: FEELTime(secondOfDay: localEpochSecond - days * 86_400, nanosecond: nanosecond, zone: zone))
    }

    /// From an instant, in a zone (the zone's offset at that instant applies).
    init?(epochSecond: Int, nanosecond: Int, zone: FEELZone) {
        let (local, overflow) = epochSecond.addingReportingOverflow(zone.offset(atInstant: epochSecond))
        guard !overflow else { return nil }
        self.init(localEpochSecond: local, nanosecond: nanosecond, zone: zone)
    }

    /// Shifted by an exact number of seconds: along the instant timeline when there is a
    /// zone (so a DST change is respected), along the local fields otherwise.
    func adding(seconds: Decimal) -> FEELDateTime? {
        let total = Decimal(time.nanosecond) / 1_000_000_000 + seconds
        let whole = total.rounded(scale: 0, .down)
        guard let wholeSeconds = whole.exactInt else { return nil }
        let nanos = ((total - whole) * 1_000_000_000).rounded(scale: 0, .down).exactInt ?? 0
        if let zone, let instant = epochSecond {
            let (moved, overflow) = instant.addingReportingOverflow(wholeSeconds)
            return overflow ? nil : FEELDateTime(epochSecond: moved, nanosecond: nanos, zone: zone)
        }
        let (moved, overflow) = localEpochSecond.addingReportingOverflow(wholeSeconds)
        return overflow ? nil : FEELDateTime(localEpochSecond: moved, nanosecond: nanos, zone: zone)
    }

    public var description: String { date.description + "T" + time.description }
}
