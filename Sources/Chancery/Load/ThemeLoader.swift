import Foundation

/// Reads a site's theme: the built-in default theme, then the site's `templates/` over it, file by file.
extension Theme {
    /// The built-in theme's folder inside the package's resources.
    public static var defaultThemeURL: URL? {
        Bundle.module.url(forResource: "DefaultTheme", withExtension: nil)
    }

    /// Loads the default theme, then the site's `templates/` folder over it.
    ///
    /// The site's templates are read by the same rules as `content/` (nothing outside the site folder);
    /// with no site folder, the default theme alone.
    public static func load(siteRoot: String?, displayPrefix: String) -> (theme: Theme, diagnostics: [Diagnostic]) {
        var theme = Theme(templates: [:], assets: [:])
        var diagnostics: [Diagnostic] = []
        if let url = defaultThemeURL {
            let (files, problems) = FolderReader.files(in: url.path, siteRoot: url.path, display: "(default theme)/")
            diagnostics += problems
            theme.add(files, displayRoot: "(default theme)/", into: &diagnostics)
        } else {
            diagnostics.append(.error(SourceLocation(path: "(default theme)"), "the built-in theme is missing from this installation"))
        }
        if let siteRoot {
            let (files, problems) = FolderReader.files(in: siteRoot + "/templates", siteRoot: siteRoot, display: displayPrefix + "templates/")
            diagnostics += problems
            theme.add(files, displayRoot: displayPrefix + "templates/", into: &diagnostics)
        }
        return (theme, diagnostics)
    }

    mutating func add(_ files: [FolderReader.File], displayRoot: String, into diagnostics: inout [Diagnostic]) {
        for file in files {
            let relative = file.relative
            let display = displayRoot + relative
            if relative.hasPrefix("assets/") {
                assets[relative] = file.bytes
            } else if relative.hasSuffix(".mustache") {
                guard let text = String(validating: file.bytes, as: UTF8.self) else {
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
