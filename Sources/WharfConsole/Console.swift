/// The web console (docs/console.md): static files embedded in the binary, served under
/// `/console` on the server's own port. It knows nothing of queues: the page talks to the
/// same SQS API as any client, signed like any client, so it can do nothing a caller could not.
public enum Console {
    public static let prefix = "/console"

    /// Whether a request's path is the console's (answered before anything SQS).
    public static func handles(path: String) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }

    /// The page is one file whatever its route (routes live in the URL's fragment), so `/console`
    /// and `/console/` both serve it; its scripts and styles are `/console/<file>`.
    public static func respond(method: String, path: String, ifNoneMatch: String?) -> ConsoleReply {
        guard method == "GET" || method == "HEAD" else {
            return reply(405, "text/plain; charset=utf-8", Array("Method Not Allowed\n".utf8), extra: [("Allow", "GET, HEAD")])
        }
        var name = String(path.dropFirst(prefix.count))
        if name.hasPrefix("/") { name.removeFirst() }
        if name.isEmpty { name = "index.html" }
        guard let asset = ConsoleAssets.byPath[name] else {
            return reply(404, "text/plain; charset=utf-8", Array("Not Found\n".utf8))
        }
        // Revalidated on every load (`no-cache`): a new binary's files show at once, and an
        // unchanged file costs a 304 without its body.
        let validators = [("ETag", asset.etag), ("Cache-Control", "no-cache")]
        if let ifNoneMatch, ifNoneMatch.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == asset.etag || $0.trimmingCharacters(in: .whitespaces) == "*"
        }) {
            return reply(304, nil, [], extra: validators)
        }
        return reply(200, asset.contentType, method == "HEAD" ? [] : asset.bytes, extra: validators)
    }

    private static func reply(_ status: Int, _ contentType: String?, _ body: [UInt8],
                              extra: [(String, String)] = []) -> ConsoleReply {
        var headers = SecurityHeaders.all + extra
        if let contentType { headers.append(("Content-Type", contentType)) }
        if status >= 400 { headers.append(("Cache-Control", "no-store")) }
        return ConsoleReply(status: status, headers: headers, body: body)
    }
}
