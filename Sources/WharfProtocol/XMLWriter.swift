/// Appends an XML document to one byte buffer. Text is escaped so an XML parser gives back
/// exactly the original string: notably CR becomes `&#xD;`, because parsers normalise a literal
/// CR to LF and the client's MD5 check would then fail (docs/sqs-behaviour.md#xml-responses).
struct XMLWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func open(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func close(_ name: String) {
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Closes `name`, or, when nothing was written since it was opened (`bytes.count` was
    /// `emptySince` right after `open(name)`), turns it into `<name/>`.
    mutating func close(_ name: String, emptySince mark: Int) {
        guard bytes.count == mark else { return close(name) }
        bytes.removeLast()
        bytes.append(contentsOf: "/>".utf8)
    }

    /// `<name>escaped text</name>`
    mutating func element(_ name: String, _ value: String) {
        open(name)
        text(value)
        close(name)
    }

    /// Omits the element for nil, as SQS omits absent members.
    mutating func element(_ name: String, _ value: String?) {
        if let value { element(name, value) }
    }

    mutating func text(_ s: String) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: "&#xD;".utf8)
            default: bytes.append(b)
            }
        }
    }
}
