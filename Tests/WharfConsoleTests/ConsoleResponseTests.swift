import Testing
@testable import WharfConsole

@Suite struct ConsoleResponseTests {
    func header(_ reply: ConsoleReply, _ name: String) -> String? {
        reply.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    @Test func pathsUnderConsoleAreTheConsoles() {
        #expect(Console.handles(path: "/console"))
        #expect(Console.handles(path: "/console/"))
        #expect(Console.handles(path: "/console/app.js"))
        #expect(!Console.handles(path: "/consoles"))
        #expect(!Console.handles(path: "/000000000000/console"))
    }

    @Test func thePageIsServedAtTheRootAndWithASlash() {
        for path in ["/console", "/console/", "/console/index.html"] {
            let reply = Console.respond(method: "GET", path: path, ifNoneMatch: nil)
            #expect(reply.status == 200)
            #expect(header(reply, "Content-Type") == "text/html; charset=utf-8")
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() {
        for path in ["/console/", "/console/app.js", "/console/console.css", "/console/missing.js"] {
            let reply = Console.respond(method: "GET", path: path, ifNoneMatch: nil)
            #expect(header(reply, "Content-Security-Policy") == "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            #expect(header(reply, "X-Content-Type-Options") == "nosniff")
        }
    }

    @Test func contentTypesFollowTheExtension() {
        #expect(header(Console.respond(method: "GET", path: "/console/app.js", ifNoneMatch: nil), "Content-Type")
                == "text/javascript; charset=utf-8")
        #expect(header(Console.respond(method: "GET", path: "/console/pages/queue.js", ifNoneMatch: nil), "Content-Type")
                == "text/javascript; charset=utf-8")
        #expect(header(Console.respond(method: "GET", path: "/console/console.css", ifNoneMatch: nil), "Content-Type")
                == "text/css; charset=utf-8")
    }

    @Test func aKnownETagIsAnswered304WithoutABody() {
        let first = Console.respond(method: "GET", path: "/console/app.js", ifNoneMatch: nil)
        let etag = header(first, "ETag")
        #expect(header(first, "Cache-Control") == "no-cache")
        let again = Console.respond(method: "GET", path: "/console/app.js", ifNoneMatch: etag)
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(Console.respond(method: "GET", path: "/console/app.js", ifNoneMatch: "\"other\"").status == 200)
    }

    @Test func unknownFilesAre404AndOtherMethods405() {
        #expect(Console.respond(method: "GET", path: "/console/nope.js", ifNoneMatch: nil).status == 404)
        #expect(Console.respond(method: "GET", path: "/console/../Package.swift", ifNoneMatch: nil).status == 404)
        let post = Console.respond(method: "POST", path: "/console/", ifNoneMatch: nil)
        #expect(post.status == 405)
        #expect(header(post, "Allow") == "GET, HEAD")
        let head = Console.respond(method: "HEAD", path: "/console/", ifNoneMatch: nil)
        #expect(head.status == 200 && head.body.isEmpty)
    }
}
