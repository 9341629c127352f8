import Foundation

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

    /// Compact JSON text, keys in context order.
    public func jsonData() -> Data { Data(jsonString().utf8) }

    public func jsonString() -> String {
        var out = ""
        writeJSON(into: &out)
        return out
    }

    private func writeJSON(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? n.description : "null"
        case .string(let s): out += FEELValue.quoted(s)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeJSON(into: &out)
            }
            out += "]"
        case .context(let context):
            out += "{"
            for (i, entry) in context.entries.enumerated() {
                if i > 0 { out += "," }
                out += FEELValue.quoted(entry.key) + ":"
                entry.value.writeJSON(into: &out)
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
        }
    }
}
