import SQSModel

/// Writes one scalar member of a response in either protocol: a JSON member or an XML element,
/// both omitted when nil. The flat result shapes below list their members once for both
/// writers, so the JSON and XML answers cannot drift apart.
protocol MemberWriter {
    mutating func member(_ name: StaticString, _ value: String?)
    mutating func member(_ name: StaticString, _ value: Bool)
}

extension XMLWriter: MemberWriter {
    mutating func member(_ name: StaticString, _ value: String?) { element(name.description, value) }
    mutating func member(_ name: StaticString, _ value: Bool) { element(name.description, value ? "true" : "false") }
}

extension JSONFastWriter: MemberWriter {}

// Member order follows the Query model (XML is ordered; JSON readers do not care).

extension SendMessageResponse {
    func writeMembers(to writer: inout some MemberWriter) {
        writer.member("MessageId", MessageId)
        writer.member("MD5OfMessageBody", MD5OfMessageBody)
        writer.member("MD5OfMessageAttributes", MD5OfMessageAttributes)
        writer.member("MD5OfMessageSystemAttributes", MD5OfMessageSystemAttributes)
        writer.member("SequenceNumber", SequenceNumber)
    }
}

extension SendMessageBatchResultEntry {
    /// The Id, then exactly the members of a single SendMessage's result.
    func writeMembers(to writer: inout some MemberWriter) {
        writer.member("Id", Id)
        result.writeMembers(to: &writer)
    }
}

extension BatchResultEntry {
    func writeMembers(to writer: inout some MemberWriter) { writer.member("Id", Id) }
}

extension BatchResultErrorEntry {
    func writeMembers(to writer: inout some MemberWriter) {
        writer.member("Id", Id)
        writer.member("SenderFault", SenderFault)
        writer.member("Code", Code)
        writer.member("Message", Message)
    }
}
