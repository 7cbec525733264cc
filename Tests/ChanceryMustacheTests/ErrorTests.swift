import ChanceryMustache
import Testing

@Suite("Errors")
struct ErrorTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        let label: String
        let source: String
        let line: Int
        let column: Int
        let message: String

        var testDescription: String { label }
    }

    static let compileErrors: [Expected] = [
        Expected(label: "unclosed section", source: "line one\n  {{#items}}\n{{name}}\n", line: 2, column: 3,
                 message: "unclosed section 'items'"),
        Expected(label: "unclosed inner section", source: "{{#a}}\n{{^b}}x\n{{/a}}", line: 3, column: 1,
                 message: "closing tag 'a' does not match 'b' opened at line 2, column 1"),
        Expected(label: "mismatched close tag", source: "{{#a}}\n\tx {{/b}}", line: 2, column: 4,
                 message: "closing tag 'b' does not match 'a'"),
        Expected(label: "close tag without open", source: "abc {{/a}}", line: 1, column: 5,
                 message: "closing tag 'a' has no open section"),
        Expected(label: "unclosed tag", source: "abc\nxy {{name", line: 2, column: 4, message: "unclosed tag"),
        Expected(label: "unclosed triple mustache", source: "{{{name}}", line: 1, column: 1, message: "unclosed tag"),
        Expected(label: "unclosed tag with custom delimiters", source: "{{=<% %>=}}\n<%x}}", line: 2, column: 1,
                 message: "no closing '%>'"),
        Expected(label: "missing partial", source: "a\n\t{{> partials/nope }}", line: 2, column: 2,
                 message: "unknown partial 'partials/nope'"),
        Expected(label: "missing parent", source: "{{<layout}}{{$a}}x{{/a}}{{/layout}}", line: 1, column: 1,
                 message: "unknown parent 'layout'"),
        Expected(label: "empty tag", source: "é {{ }}", line: 1, column: 3, message: "empty tag name"),
        Expected(label: "whitespace in name", source: "{{a b}}", line: 1, column: 1, message: "cannot contain whitespace"),
        Expected(label: "empty dotted part", source: "x\n {{a..b}}", line: 2, column: 2, message: "invalid name 'a..b'"),
        Expected(label: "bad set-delimiter tag", source: "{{=<%=}}", line: 1, column: 1, message: "invalid set-delimiter tag"),
    ]

    @Test("compile errors name template, line and column", arguments: compileErrors)
    func compileError(_ expected: Expected) {
        #expect {
            _ = try MustacheLibrary(templates: ["pages/post": expected.source, "other": "fine"])
        } throws: { error in
            guard let error = error as? MustacheError else { return false }
            return error.template == "pages/post" && error.line == expected.line && error.column == expected.column
                && error.message.contains(expected.message)
        }
    }

    @Test("the first error in name order is thrown")
    func firstErrorInNameOrder() {
        let error = #expect(throws: MustacheError.self) {
            _ = try MustacheLibrary(templates: ["b": "{{#x}}", "a": "ok", "c": "{{y"])
        }
        #expect(error?.template == "b")
    }

    @Test("missing partials are allowed when not strict")
    func nonStrictPartials() throws {
        let library = try MustacheLibrary(templates: ["t": "[{{>nope}}{{<gone}}{{/gone}}]"], strictPartials: false)
        #expect(try library.renderString("t", [:]) == "[]")
    }

    @Test("description has the compiler shape")
    func description() {
        let error = MustacheError(template: "layout", line: 3, column: 7, message: "unclosed tag")
        #expect(error.description == "layout:3:7: unclosed tag")
    }

    @Test("unknown template name at render")
    func unknownTemplate() throws {
        let library = try MustacheLibrary(templates: ["a": "x"])
        let error = #expect(throws: MustacheError.self) { _ = try library.render("missing", [:]) }
        #expect(error?.template == "missing")
        #expect(error?.line == 0)
    }

    @Test("endless partial recursion throws instead of crashing")
    func endlessPartialRecursion() throws {
        let library = try MustacheLibrary(templates: ["loop": "x\n  {{>loop}}"])
        let error = #expect(throws: MustacheError.self) { _ = try library.render("loop", [:]) }
        #expect(error?.template == "loop")
        #expect(error?.line == 2)
        #expect(error?.column == 3)
        #expect(error?.message.contains("nested more than 100 deep") == true)
    }

    @Test("endless parent and block recursion throws")
    func endlessInheritanceRecursion() throws {
        let library = try MustacheLibrary(
            templates: [
                "child": "{{<parent}}{{$a}}[{{$a}}{{/a}}]{{/a}}{{/parent}}",
                "parent": "{{$a}}{{/a}}",
                "self": "{{<self}}{{/self}}",
            ], maxDepth: 20)
        #expect(throws: MustacheError.self) { _ = try library.render("child", [:]) }
        let error = #expect(throws: MustacheError.self) { _ = try library.render("self", [:]) }
        #expect(error?.message.contains("nested more than 20 deep") == true)
    }

    @Test("recursion bounded by data renders")
    func dataBoundedRecursion() throws {
        let library = try MustacheLibrary(templates: ["node": "{{name}}({{#children}}{{>node}}{{/children}})"])
        let tree: MustacheValue = [
            "name": "a",
            "children": [["name": "b", "children": [["name": "c", "children": []]]], ["name": "d", "children": []]],
        ]
        #expect(try library.renderString("node", tree) == "a(b(c())d())")
    }

    @Test("dynamic partial naming no template is an error when strict")
    func strictDynamicPartial() throws {
        let library = try MustacheLibrary(templates: ["t": "a\n{{>*kind}}", "image": "img"])
        #expect(try library.renderString("t", ["kind": "image"]) == "a\nimg")
        #expect(try library.renderString("t", [:]) == "a\n")
        let error = #expect(throws: MustacheError.self) { _ = try library.render("t", ["kind": "video"]) }
        #expect(error?.line == 2)
        #expect(error?.message.contains("'video'") == true)
    }

    @Test("a failed render leaves the buffer as it was")
    func bufferRestoredOnError() throws {
        let library = try MustacheLibrary(templates: ["t": "partial output {{>*kind}}"])
        var buffer = Array("kept".utf8)
        #expect(throws: MustacheError.self) { try library.render("t", ["kind": "nope"], into: &buffer) }
        #expect(buffer == Array("kept".utf8))
    }
}
