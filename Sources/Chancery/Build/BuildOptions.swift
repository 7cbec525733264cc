/// What to build and where: the CLI's flags, passed into the library (which reads no cwd or clock itself).
public struct BuildOptions: Sendable {
    /// The site folder (holding `site.yaml`, `content/`, optionally `templates/` and `static/`).
    public var siteRoot: String
    /// Prepended to paths in diagnostics: the site folder as the user typed it, or `""` for the current folder.
    public var displayPrefix: String
    /// The output folder; `public/` in the site folder when nil.
    public var output: String?
    /// Overrides `base_url` from `site.yaml`.
    public var baseURL: String?
    public var includeDrafts: Bool
    /// Replace an output folder even when it holds files Chancery did not write (`--force`).
    public var replaceForeignOutput: Bool
    /// What identifies this Chancery (its version and build) for the build cache in `.chancery-cache/`;
    /// nil builds without the cache, neither reading nor writing it.
    public var cacheIdentity: String?

    public init(siteRoot: String, displayPrefix: String = "", output: String? = nil, baseURL: String? = nil, includeDrafts: Bool = false,
                replaceForeignOutput: Bool = false, cacheIdentity: String? = nil) {
        self.cacheIdentity = cacheIdentity
        self.replaceForeignOutput = replaceForeignOutput
        self.siteRoot = siteRoot
        self.displayPrefix = displayPrefix
        self.output = output
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
    }

    public var outputPath: String { output ?? siteRoot + "/public" }
}

/// The stages of a build, in order; progress reports name them.
public enum BuildStage: String, Sendable, CaseIterable {
    case load, parse, resolve, index, render, check, write
}

/// A progress event: a stage started or advanced (`done` of `total` items).
public struct BuildProgress: Sendable {
    public var stage: BuildStage
    public var done: Int
    public var total: Int
}

/// What a successful build did.
public struct BuildReport: Sendable {
    public var pages: Int
    public var files: Int
    public var bytes: Int
    /// Warnings (a successful build has no errors).
    public var diagnostics: [Diagnostic]
    /// What the build cache did; nil when the build ran without it.
    public var cache: CacheUse?

    public enum CacheUse: Sendable, Equatable {
        /// Everything was built; with why a cache there was could not be used, when that is worth a warning.
        case cold(warning: Diagnostic?)
        /// The output was brought up to date from the cache: these pages (output paths) were rendered.
        case warm(rendered: [String])
    }
}
