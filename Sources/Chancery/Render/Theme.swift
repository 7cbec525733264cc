import Foundation

/// The templates and assets a site renders with: the built-in default theme, overridden file by file by the site's `templates/`.
public struct Theme: Sendable {
    public struct Template: Sendable {
        public var text: String
        /// Where the template came from, for diagnostics.
        public var path: String
    }

    /// Templates by name (`partials/header`).
    public var templates: [String: Template]
    /// Files under `assets/` by relative path (`assets/style.css`), copied to the output.
    public var assets: [String: [UInt8]]

    /// The built-in theme's folder inside the package's resources.
    public static var defaultThemeURL: URL? {
        Bundle.module.url(forResource: "DefaultTheme", withExtension: nil)
    }

    /// Loads the default theme, then the site's `templates/` folder over it.
    public static func load(siteTemplates: String?, displayPrefix: String) -> (theme: Theme, diagnostics: [Diagnostic]) {
        var theme = Theme(templates: [:], assets: [:])
        var diagnostics: [Diagnostic] = []
        if let url = defaultThemeURL {
            theme.add(folder: url.path, displayRoot: "(default theme)/", into: &diagnostics)
        } else {
            diagnostics.append(.error(SourceLocation(path: "(default theme)"), "the built-in theme is missing from this installation"))
        }
        if let siteTemplates, FileManager.default.fileExists(atPath: siteTemplates) {
            theme.add(folder: siteTemplates, displayRoot: displayPrefix + "templates/", into: &diagnostics)
        }
        return (theme, diagnostics)
    }

    mutating func add(folder: String, displayRoot: String, into diagnostics: inout [Diagnostic]) {
        let fs = FileManager.default
        guard let enumerator = fs.enumerator(atPath: folder) else { return }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeDirectory { enumerator.skipDescendants() }
                continue
            }
            var isDirectory: ObjCBool = false
            if fs.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(relative)
            }
        }
        for relative in paths.sorted() {
            let display = displayRoot + relative
            guard let data = fs.contents(atPath: folder + "/" + relative) else {
                diagnostics.append(.error(SourceLocation(path: display), "cannot read template file"))
                continue
            }
            if relative.hasPrefix("assets/") {
                assets[relative] = [UInt8](data)
            } else if relative.hasSuffix(".mustache") {
                guard let text = String(data: data, encoding: .utf8) else {
                    diagnostics.append(.error(SourceLocation(path: display), "template is not valid UTF-8"))
                    continue
                }
                templates[String(relative.dropLast(".mustache".count))] = Template(text: text, path: display)
            } else {
                diagnostics.append(.warning(SourceLocation(path: display), "ignored: templates are *.mustache files, other theme files go in templates/assets/"))
            }
        }
    }
}
