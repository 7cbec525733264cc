import ChanceryMustache
import Foundation
import Testing

@Suite("Rendering")
struct RenderingTests {
    private func render(_ template: String, _ data: MustacheValue, partials: [String: String] = [:]) throws -> String {
        var templates = partials
        templates["main"] = template
        return try MustacheLibrary(templates: templates).renderString("main", data)
    }

    @Test("escaping covers & < > \" and '; triple and ampersand tags do not escape")
    func escaping() throws {
        let data: MustacheValue = ["x": "<a href='q?a=1&b=2'>\"é\"</a>"]
        #expect(try render("{{x}}", data) == "&lt;a href=&#39;q?a=1&amp;b=2&#39;&gt;&quot;é&quot;&lt;/a&gt;")
        #expect(try render("{{{x}}}|{{&x}}", data) == "<a href='q?a=1&b=2'>\"é\"</a>|<a href='q?a=1&b=2'>\"é\"</a>")
    }

    @Test(
        "scalar interpolation",
        arguments: [
            (MustacheValue.int(-42), "-42"), (.int(0), "0"), (.double(1.21), "1.21"), (.double(2.0), "2"),
            (.double(-0.5), "-0.5"), (.bool(true), "true"), (.bool(false), "false"), (.null, ""),
            (.list([1, 2]), ""), (.object(["a": 1]), ""), (.string(""), ""),
        ])
    func scalars(_ value: MustacheValue, _ expected: String) throws {
        #expect(try render("[{{v}}]", ["v": value]) == "[\(expected)]")
    }

    @Test(
        "truthiness follows the spec: only false, null and empty lists are falsey",
        arguments: [
            (MustacheValue.bool(false), false), (.null, false), (.list([]), false), (.bool(true), true),
            (.string(""), true), (.int(0), true), (.double(0), true), (.object([:]), true), (.list([.null]), true),
        ])
    func truthiness(_ value: MustacheValue, _ truthy: Bool) throws {
        #expect(try render("{{#v}}yes{{/v}}{{^v}}no{{/v}}", ["v": value]) == (truthy ? "yes" : "no"))
        #expect(value.isTruthy == truthy)
    }

    @Test("custom delimiters cover all tag kinds and stop at the partial boundary")
    func delimiters() throws {
        let output = try render(
            "{{=<% %>=}}<%{x}%> <%&x%> <%x%> <%#l%><%.%><%/l%> <%>p%>", ["x": "<b>", "l": [1, 2]],
            partials: ["p": "{{x}}"])
        #expect(output == "<b> <b> &lt;b&gt; 12 &lt;b&gt;")
    }

    @Test("dynamic parent names resolve against the context")
    func dynamicParent() throws {
        let partials = ["wide": "[{{$body}}wide{{/body}}]", "narrow": "({{$body}}narrow{{/body}})"]
        let template = "{{<*layout}}{{$body}}{{text}}{{/body}}{{/*layout}}"
        #expect(try render(template, ["layout": "wide", "text": "hi"], partials: partials) == "[hi]")
        #expect(try render(template, ["layout": "narrow", "text": "yo"], partials: partials) == "(yo)")
        #expect(try render(template, [:], partials: partials) == "")
    }

    @Test("blocks in partials of a parent can be overridden by the child")
    func blocksThroughPartials() throws {
        let partials = ["layout": "<{{>head}}>", "head": "{{$title}}default{{/title}}"]
        #expect(try render("{{<layout}}{{$title}}mine{{/title}}{{/layout}}", [:], partials: partials) == "<mine>")
        #expect(try render("{{<layout}}{{/layout}}", [:], partials: partials) == "<default>")
    }

    @Test("CRLF line endings are kept and standalone lines still vanish")
    func crlf() throws {
        #expect(try render("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", ["t": true]) == "a\r\nb\r\nc")
    }

    @Test("missing names render empty and are falsey")
    func missing() throws {
        #expect(try render("[{{a}}{{a.b}}{{#a}}x{{/a}}{{^a}}y{{/a}}]", [:]) == "[y]")
    }

    @Test("lists iterate with the implicit iterator and context stack lookup")
    func lists() throws {
        let data: MustacheValue = ["site": "S", "tags": ["a", "b"], "items": [["n": 1], ["n": 2, "site": "own"]]]
        #expect(try render("{{#tags}}{{.}},{{/tags}}", data) == "a,b,")
        #expect(try render("{{#items}}{{n}}:{{site}} {{/items}}", data) == "1:S 2:own ")
    }

    @Test("render(into:) appends to the buffer")
    func renderInto() throws {
        let library = try MustacheLibrary(templates: ["t": "{{x}}!"])
        var buffer = Array("> ".utf8)
        try library.render("t", ["x": "hi"], into: &buffer)
        try library.render("t", ["x": 1], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "> hi!1!")
        #expect(try library.render("t", ["x": "&"]) == Array("&amp;!".utf8))
    }

    @Test("a site layout: parent with blocks, standalone partials, indentation")
    func siteLayout() throws {
        let templates = [
            "layout": """
                <html>
                  <head>
                    {{> partials/head}}
                  </head>
                  <body>
                    {{$content}}{{/content}}
                  </body>
                </html>

                """,
            "partials/head": """
                <title>{{$title}}{{site}}{{/title}}</title>
                <meta charset="utf-8">

                """,
            "post": """
                {{<layout}}
                  {{$title}}{{title}} – {{site}}{{/title}}
                  {{$content}}
                    <h1>{{title}}</h1>
                    {{#tags}}
                    <a>{{.}}</a>
                    {{/tags}}
                  {{/content}}
                {{/layout}}

                """,
        ]
        let library = try MustacheLibrary(templates: templates)
        let output = try library.renderString("post", ["site": "Blog", "title": "A & B", "tags": ["x", "y"]])
        #expect(
            output == """
                <html>
                  <head>
                    <title>A &amp; B – Blog</title>
                    <meta charset="utf-8">
                  </head>
                  <body>
                    <h1>A &amp; B</h1>
                    <a>x</a>
                    <a>y</a>

                  </body>
                </html>

                """)
        #expect(library.templateNames == ["layout", "partials/head", "post"])
    }

    @Test("interpolated multi-line values are not indented, template lines are")
    func indentationOnlyForTemplateLines() throws {
        let output = try render("<pre>\n  {{>code}}\n</pre>", ["body": "a\nb"], partials: ["code": "{{{body}}}\nend\n"])
        #expect(output == "<pre>\n  a\nb\n  end\n</pre>")
    }

    @Test("directory loading names templates by relative path without extension")
    func directoryLoading() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mustache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("partials/deep"), withIntermediateDirectories: true)
        try "{{>partials/header}}|{{>partials/deep/footer}}".write(
            to: root.appendingPathComponent("page.mustache"), atomically: true, encoding: .utf8)
        try "<h1>{{title}}</h1>".write(
            to: root.appendingPathComponent("partials/header.mustache"), atomically: true, encoding: .utf8)
        try "end".write(
            to: root.appendingPathComponent("partials/deep/footer.mustache"), atomically: true, encoding: .utf8)
        try "ignored".write(to: root.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        let library = try MustacheLibrary(directory: root.path)
        #expect(library.templateNames == ["page", "partials/deep/footer", "partials/header"])
        #expect(try library.renderString("page", ["title": "T"]) == "<h1>T</h1>|end")
    }

    @Test("one library renders from many tasks at once")
    func concurrentRendering() async throws {
        let library = try MustacheLibrary(templates: ["t": "{{#items}}{{.}}{{/items}}"])
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<16 {
                group.addTask { try library.renderString("t", ["items": [.int(index), .int(index)]]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(outputs) == Set((0..<16).map { "\($0)\($0)" }))
    }
}
