import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SQSModel
import Testing
@testable import WharfProtocol

@Suite struct XMLEscapingTests {
    let tricky = "line1\r\nline2\r \"quoted\" <tag> & 'apos' \t✓"

    @Test func escapedBytes() {
        var xml = XMLWriter()
        xml.element("Body", tricky)
        #expect(String(decoding: xml.bytes, as: UTF8.self)
                == "<Body>line1&#xD;\nline2&#xD; &quot;quoted&quot; &lt;tag&gt; &amp; 'apos' \t✓</Body>")
    }

    @Test func parsingBackGivesTheOriginalText() throws {
        let message = Message(MessageId: "m", ReceiptHandle: "r&h", MD5OfBody: "md5", Body: tricky,
                              Attributes: nil, MD5OfMessageAttributes: nil, MessageAttributes: nil)
        let r = WireCodec.encode(ReceiveMessageResponse(Messages: [message]), operation: .receiveMessage,
                                 in: .query, requestId: "req")
        let texts = try ElementTexts.parse(r.body)
        #expect(texts["Body"] == tricky)
        #expect(texts["ReceiptHandle"] == "r&h")
        #expect(texts["RequestId"] == "req")
    }
}

/// Collects the text of every leaf element with Foundation's XML parser (libxml2 underneath),
/// i.e. what a real client's parser would see.
final class ElementTexts: NSObject, XMLParserDelegate {
    private var current = ""
    private var texts: [String: String] = [:]

    static func parse(_ bytes: [UInt8]) throws -> [String: String] {
        let delegate = ElementTexts()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = delegate
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
        return delegate.texts
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        if texts[elementName] == nil { texts[elementName] = current }
        current = ""
    }
}
