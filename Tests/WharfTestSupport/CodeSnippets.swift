import Foundation

/// The Swift examples of the documentation (```swift blocks of a Markdown file or of `///`
/// doc comments) and the check that a test file holds each of them, so that the compiler sees
/// every example the documentation shows.
public enum CodeSnippets {
    public struct Snippet: Sendable, CustomStringConvertible {
        /// Where it was found: `README.md:267`.
        public var origin: String
        /// Its `import` lines.
        public var imports: [String]
        /// The rest, without leading and trailing blank lines.
        public var lines: [String]
        public var description: String { "\(origin):\n" + lines.joined(separator: "\n") }
    }

    /// The ```swift blocks of a Markdown file.
    public static func markdown(_ text: String, origin: String) -> [Snippet] {
        blocks(text.components(separatedBy: "\n").enumerated().map { ($0.offset + 1, $0.element) }, origin: origin)
    }

    /// The ```swift blocks of the `///` comments of a Swift source file.
    public static func docComments(_ source: String, origin: String) -> [Snippet] {
        let lines = source.components(separatedBy: "\n").enumerated().compactMap { index, line -> (Int, String)? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("///") else { return nil }
            let text = trimmed.dropFirst(3)
            return (index + 1, String(text.first == " " ? text.dropFirst() : text))
        }
        return blocks(lines, origin: origin)
    }

    /// The snippets whose lines do not appear, consecutively and in order, in `compiled` (a
    /// test source), or whose imports it lacks. Lines compare without leading and trailing
    /// whitespace: indentation differs between a README and a function body.
    public static func missing(_ snippets: [Snippet], in compiled: String) -> [Snippet] {
        let haystack = compiled.components(separatedBy: "\n").map(normalized)
        let imports = Set(haystack.filter { $0.hasPrefix("import ") || $0.hasPrefix("@testable import ") }
            .map { $0.replacingOccurrences(of: "@testable ", with: "") })
        return snippets.filter { snippet in
            guard snippet.imports.allSatisfy({ imports.contains(normalized($0)) }) else { return true }
            let needle = snippet.lines.map(normalized)
            guard !needle.isEmpty, needle.count <= haystack.count else { return !needle.isEmpty }
            return !(0...(haystack.count - needle.count)).contains { start in
                needle.indices.allSatisfy { haystack[start + $0] == needle[$0] }
            }
        }
    }

    private static func normalized(_ line: String) -> String { line.trimmingCharacters(in: .whitespaces) }

    private static func blocks(_ lines: [(number: Int, text: String)], origin: String) -> [Snippet] {
        var snippets: [Snippet] = []
        var current: [String]?
        var start = 0
        for (number, text) in lines {
            let fence = normalized(text)
            if current == nil {
                if fence == "```swift" { current = []; start = number }
            } else if fence == "```" {
                var body = current!
                let imports = body.filter { normalized($0).hasPrefix("import ") }
                body.removeAll { normalized($0).hasPrefix("import ") }
                while body.first.map({ normalized($0).isEmpty }) == true { body.removeFirst() }
                while body.last.map({ normalized($0).isEmpty }) == true { body.removeLast() }
                snippets.append(Snippet(origin: "\(origin):\(start)", imports: imports, lines: body))
                current = nil
            } else {
                current!.append(text)
            }
        }
        return snippets
    }
}
