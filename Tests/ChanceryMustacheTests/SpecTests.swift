import ChanceryMustache
import Testing

@Suite("Mustache spec")
struct SpecTests {
    /// The spec's own main template is stored under a name no spec partial uses.
    static let mainName = "(spec template)"

    @Test("spec case", arguments: SpecCase.all)
    func specCase(_ spec: SpecCase) throws {
        if let loadError = spec.loadError {
            Issue.record(Comment(rawValue: loadError))
            return
        }
        var templates = spec.partials
        templates[Self.mainName] = spec.template
        // The spec renders missing partials as empty strings, so run it non-strict.
        let library = try MustacheLibrary(templates: templates, strictPartials: false)
        let output = try library.renderString(Self.mainName, spec.data)
        #expect(output == spec.expected, "template: \(spec.template.debugDescription)")
    }

    @Test("the core spec files are all loaded")
    func filesLoaded() {
        let files = Set(SpecCase.all.map(\.file))
        #expect(files.isSuperset(of: ["comments", "delimiters", "interpolation", "inverted", "partials", "sections"]))
    }
}
