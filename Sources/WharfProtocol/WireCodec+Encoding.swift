import Foundation
import SQSModel

extension WireCodec {
    static let xmlNamespace = "http://queue.amazonaws.com/doc/2012-11-05/"
    static let jsonContentType = "application/x-amz-json-1.0"
    static let xmlContentType = "text/xml"

    /// A successful response: JSON or the XML envelope (docs/sqs-behaviour.md#json-protocol, #xml-responses).
    public static func encode<R: SQSResponse>(_ response: R, operation: SQSOperation,
                                              in wireProtocol: WireProtocol, requestId: String) -> EncodedResponse {
        switch wireProtocol {
        case .json:
            let body: [UInt8]
            if let fast = JSONFastResponses.body(for: response) {
                body = fast
            } else {
                do {
                    body = [UInt8](try jsonEncoder().encode(response))
                } catch {
                    // Only non-finite floats can fail, and SQS responses have none.
                    return encode(error: .internalError("Could not encode the response."), in: .json,
                                  requestId: requestId)
                }
            }
            return EncodedResponse(status: 200, headers: [("Content-Type", jsonContentType),
                                                          ("x-amzn-RequestId", requestId)],
                                   body: body)
        case .query:
            var xml = XMLWriter()
            xml.raw("<?xml version=\"1.0\"?>")
            xml.raw("<\(operation.rawValue)Response xmlns=\"\(xmlNamespace)\">")
            // Operations without an output shape have no Result element at all.
            if !(response is EmptyResponse) {
                let result = "\(operation.rawValue)Result"
                xml.open(result)
                let empty = xml.bytes.count
                XMLResults.writer(for: response)?.writeXML(to: &xml, operation: operation)
                // An empty result is one empty element, as SQS writes it: `<ReceiveMessageResult/>`.
                xml.close(result, emptySince: empty)
            }
            xml.open("ResponseMetadata")
            xml.element("RequestId", requestId)
            xml.close("ResponseMetadata")
            xml.close("\(operation.rawValue)Response")
            return EncodedResponse(status: 200, headers: [("Content-Type", xmlContentType),
                                                          ("x-amzn-RequestId", requestId)],
                                   body: xml.bytes)
        }
    }

    /// An error: JSON or XML, both with `x-amzn-query-error` (docs/sqs-behaviour.md#json-errors, #xml-errors).
    /// The Query protocol words one error differently from JSON (docs/sqs-behaviour.md#error-codes).
    static func queryMessage(for error: SQSError) -> String {
        error.code == .queueDoesNotExist ? "The specified queue does not exist for this wsdl version." : error.message
    }

    public static func encode(error: SQSError, in wireProtocol: WireProtocol, requestId: String) -> EncodedResponse {
        if error.code == .unknownOperationException {
            // A request that names no operation at all (a bare GET of a queue URL) gets no error
            // envelope in either protocol: SQS answers this one empty element as text/xml, also to
            // a caller that asks for JSON (docs/sqs-behaviour.md#dispatch).
            return EncodedResponse(status: error.httpStatus,
                                   headers: [("Content-Type", xmlContentType), ("x-amzn-RequestId", requestId)],
                                   body: Array("<UnknownOperationException/>".utf8))
        }
        let fault = error.senderFault ? "Sender" : "Receiver"
        let queryError = ("x-amzn-query-error", "\(error.queryCode);\(fault)")
        switch wireProtocol {
        case .json:
            let body = (try? jsonEncoder().encode(JSONErrorBody(type: error.jsonType, message: error.message)))
                ?? Data("{}".utf8)
            return EncodedResponse(status: error.httpStatus,
                                   headers: [("Content-Type", jsonContentType), ("x-amzn-RequestId", requestId),
                                             queryError],
                                   body: [UInt8](body))
        case .query:
            var xml = XMLWriter()
            xml.raw("<?xml version=\"1.0\"?>")
            xml.raw("<ErrorResponse xmlns=\"\(xmlNamespace)\">")
            xml.open("Error")
            xml.element("Type", fault)
            xml.element("Code", error.queryCode)
            xml.element("Message", queryMessage(for: error))
            xml.raw("<Detail/>")
            xml.close("Error")
            // RequestId is a direct child of ErrorResponse here, unlike success envelopes.
            xml.element("RequestId", requestId)
            xml.close("ErrorResponse")
            return EncodedResponse(status: error.httpStatus,
                                   headers: [("Content-Type", xmlContentType), ("x-amzn-RequestId", requestId),
                                             queryError],
                                   body: xml.bytes)
        }
    }

    /// One encoder for every response: configuring a new one per request showed in profiles,
    /// and an encoder whose options never change is safe to share (docs/stack.md#json).
    private static let sharedJSONEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Queue URLs read better without `\/`, and both forms are valid JSON.
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    private static func jsonEncoder() -> JSONEncoder { sharedJSONEncoder }
}
