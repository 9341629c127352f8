import Foundation

/// A type in `instance of` (and in function parameter declarations, which are parsed and
/// not enforced).
indirect enum FEELType: Sendable, Equatable, CustomStringConvertible {
    case any, null, number, string, boolean, date, time, dateTime
    case daysAndTimeDuration, yearsAndMonthsDuration
    case list(FEELType)
    case context([(String, FEELType)])
    case range(FEELType)
    case function([FEELType], FEELType)

    static let named: [String: FEELType] = [
        "Any": .any, "Null": .null, "number": .number, "string": .string, "boolean": .boolean,
        "date": .date, "time": .time, "date and time": .dateTime, "dateTime": .dateTime,
        "days and time duration": .daysAndTimeDuration, "dayTimeDuration": .daysAndTimeDuration,
        "years and months duration": .yearsAndMonthsDuration, "yearMonthDuration": .yearsAndMonthsDuration,
        "list": .list(.any), "context": .context([]), "range": .range(.any),
        "function": .function([], .any),
    ]

    static func == (a: FEELType, b: FEELType) -> Bool { a.description == b.description }

    var description: String {
        switch self {
        case .any: "Any"
        case .null: "Null"
        case .number: "number"
        case .string: "string"
        case .boolean: "boolean"
        case .date: "date"
        case .time: "time"
        case .dateTime: "date and time"
        case .daysAndTimeDuration: "days and time duration"
        case .yearsAndMonthsDuration: "years and months duration"
        case .list(let t): "list<\(t)>"
        case .context(let entries): "context<" + entries.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ">"
        case .range(let t): "range<\(t)>"
        case .function(let params, let result): "function<" + params.map(\.description).joined(separator: ", ") + "> -> \(result)"
        }
    }

    /// `value instance of type`. null is an instance of Null only; a context type lists
    /// entries the value must have (more are allowed); a function type checks the arity.
    func contains(_ value: FEELValue) -> Bool {
        switch (self, value) {
        case (.null, .null): return true
        case (_, .null): return false
        case (.any, _): return true
        case (.number, .number), (.string, .string), (.boolean, .bool), (.date, .date), (.time, .time),
             (.dateTime, .dateTime), (.daysAndTimeDuration, .daysAndTimeDuration),
             (.yearsAndMonthsDuration, .yearsAndMonthsDuration):
            return true
        case (.list(let element), .list(let items)):
            return items.allSatisfy { $0 == .null || element.contains($0) }
        case (.context(let entries), .context(let context)):
            return entries.allSatisfy { key, type in context[key].map { $0 == .null || type.contains($0) } ?? false }
        case (.range(let element), .range(let r)):
            return [r.start, r.end].allSatisfy { $0 == nil || $0 == .null || element.contains($0!) }
        case (.function(let params, _), .function(let f)):
            guard !params.isEmpty, let names = f.parameterNames else { return true }
            return names.count == params.count
        default:
            return false
        }
    }
}
