import Foundation

/// A syntax error, located so that a connector can reject a bad condition at start-up with
/// a message pointing at the character: `expected ")" at 1:14`.
public struct FEELSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 0-based offset in characters from the start of the source (the leading "=" included).
    public let offset: Int
    /// 1-based.
    public let line: Int
    /// 1-based, in characters.
    public let column: Int

    public var description: String { "\(message) at \(line):\(column)" }

    init(_ message: String, at offset: Int, in source: [Character]) {
        self.message = message
        self.offset = offset
        (line, column) = SourcePosition.lineAndColumn(of: offset, in: source)
    }
}

enum SourcePosition {
    /// 1-based line and column of a character offset.
    static func lineAndColumn(of offset: Int, in source: [Character]) -> (Int, Int) {
        var line = 1
        var column = 1
        for c in source.prefix(offset) {
            if c == "\n" || c == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
