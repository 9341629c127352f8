import Foundation

/// How `jsonString(style:)` writes temporal values, and whether `init(jsonString:style:)`
/// reads them back.
public enum FEELJSONStyle: Sendable, Equatable {
    /// Dates, times and durations as ISO 8601 strings: plain JSON, what consumers expect.
    case plain
    /// As `{"$type": "date", "value": "2017-01-02"}` objects, so they survive a round trip.
    case typed
}

/// Why a message body is not JSON; the connector then exposes the body as a plain string.
public struct FEELJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// Byte offset in the UTF-8 input.
    public let offset: Int

    public var description: String { "\(message) at byte \(offset)" }
}

extension FEELValue {
    /// Parses JSON text with our own reader rather than JSONSerialization: object keys keep
    /// their order (NSDictionary loses it) and numbers keep their exact decimal digits.
    public init(jsonData: Data) throws(FEELJSONError) {
        var reader = JSONReader(bytes: Array(jsonData))
        self = try reader.readDocument()
    }

    public init(jsonString: String) throws(FEELJSONError) {
        try self.init(jsonData: Data(jsonString.utf8))
    }

    /// With `.typed`, objects of the form `{"$type": T, "value": text}` are read as the
    /// FEEL value they stand for (T is date, time, date and time, duration, days and time
    /// duration, years and months duration or number); one that does not parse is an error.
    public init(jsonString: String, style: FEELJSONStyle) throws(FEELJSONError) {
        try self.init(jsonString: jsonString)
        if style == .typed { self = try self.decodingTypedValues() }
    }

    private func decodingTypedValues() throws(FEELJSONError) -> FEELValue {
        switch self {
        case .list(let items):
            var out: [FEELValue] = []
            for item in items { out.append(try item.decodingTypedValues()) }
            return .list(out)
        case .context(let context):
            if context.count == 2, case .string(let type)? = context["$type"], let value = context["value"] {
                guard let decoded = FEELValue.typed(type, value) else {
                    throw FEELJSONError(message: "invalid \(type) value \(value)", offset: 0)
                }
                return decoded
            }
            var out = FEELContext()
            for entry in context.entries { out[entry.key] = try entry.value.decodingTypedValues() }
            return .context(out)
        default:
            return self
        }
    }

    private static func typed(_ type: String, _ value: FEELValue) -> FEELValue? {
        if type == "number" {
            switch value {
            case .number: return value
            case .string(let s): return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")).map(FEELValue.number)
            default: return nil
            }
        }
        guard case .string(let text) = value else { return nil }
        switch type {
        case "date": return TemporalParser.date(text).map(FEELValue.date)
        case "time": return TemporalParser.time(text).map(FEELValue.time)
        case "date and time", "dateTime": return TemporalParser.dateTime(text).map(FEELValue.dateTime)
        case "duration", "days and time duration", "years and months duration": return TemporalParser.duration(text)
        default: return nil
        }
    }

    /// Compact JSON text, keys in context order. Dates, times and durations become their
    /// ISO 8601 text (what a JSON consumer of the connector's output expects); a range
    /// becomes its FEEL text and a function null.
    public func jsonData() -> Data { Data(jsonString().utf8) }

    public func jsonString() -> String { jsonString(style: .plain) }

    /// `.typed` writes temporal values as `{"$type": "date", "value": "2017-01-02"}` (the
    /// DMN TCK runner's convention, also read by `init(jsonString:style:)`), so that a
    /// date and the string of a date stay apart.
    public func jsonString(style: FEELJSONStyle) -> String {
        var out = ""
        writeJSON(into: &out, style)
        return out
    }

    private func writeJSON(into out: inout String, _ style: FEELJSONStyle) {
        func typed(_ type: String, _ text: String) {
            out += style == .typed ? #"{"$type":"\#(type)","value":"# + FEELValue.quoted(text) + "}" : FEELValue.quoted(text)
        }
        switch self {
        case .null, .function: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? n.description : "null"
        case .string(let s): out += FEELValue.quoted(s)
        case .date(let d): typed("date", d.description)
        case .time(let t): typed("time", t.description)
        case .dateTime(let dt): typed("date and time", dt.description)
        case .daysAndTimeDuration(let d): typed("duration", d.description)
        case .yearsAndMonthsDuration(let d): typed("duration", d.description)
        case .range(let r): out += FEELValue.quoted(r.description)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeJSON(into: &out, style)
            }
            out += "]"
        case .context(let context):
            out += "{"
            for (i, entry) in context.entries.enumerated() {
                if i > 0 { out += "," }
                out += FEELValue.quoted(entry.key) + ":"
                entry.value.writeJSON(into: &out, style)
            }
            out += "}"
        }
    }

    /// JSON string literal; also how FEEL prints strings, since FEEL uses the same escapes.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

// MARK: - Foundation object graphs

extension FEELValue {
    /// Converts JSONSerialization output (or plain Swift values of the same shapes).
    /// NSDictionary has no order, so keys are sorted to keep the result deterministic.
    /// Anything unrecognised becomes null rather than trapping.
    public init(json: Any) {
        switch json {
        case is NSNull: self = .null
        case let b as Bool where type(of: json) == Bool.self: self = .bool(b)
        // Before NSNumber: on Darwin a Decimal would bridge to NSDecimalNumber and lose digits.
        case let d as Decimal: self = .number(d)
        case let n as NSNumber: self = FEELValue(number: n)
        case let s as String: self = .string(s)
        case let a as [Any]: self = .list(a.map(FEELValue.init(json:)))
        case let d as [String: Any]:
            self = .context(FEELContext(d.keys.sorted().map { ($0, FEELValue(json: d[$0]!)) }))
        default: self = .null
        }
    }

    private init(number n: NSNumber) {
        // JSONSerialization returns booleans as NSNumber; only their objCType tells them apart.
        switch String(cString: n.objCType) {
        case "c", "B": self = .bool(n.boolValue)
        case "f", "d": self = .number(Decimal(shortest: n.doubleValue))
        default: self = .number(Decimal(string: n.stringValue) ?? n.decimalValue)
        }
    }

    /// Foundation object graph accepted by JSONSerialization: whole numbers become Int,
    /// other numbers Double (callers wanting exact digits should use `jsonData()`).
    public var jsonObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n):
            if let i = n.exactInt { return i }
            return Double(n.description) ?? NSDecimalNumber(decimal: n).doubleValue
        case .string(let s): return s
        case .list(let items): return items.map(\.jsonObject)
        case .context(let c):
            var dict: [String: Any] = [:]
            for entry in c.entries { dict[entry.key] = entry.value.jsonObject }
            return dict
        case .date(let d): return d.description
        case .time(let t): return t.description
        case .dateTime(let dt): return dt.description
        case .daysAndTimeDuration(let d): return d.description
        case .yearsAndMonthsDuration(let d): return d.description
        case .range(let r): return r.description
        case .function: return NSNull()
        }
    }
}
