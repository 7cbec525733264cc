/// Everything read from a site's files, typed but not yet cross-checked.
public struct ParsedSite: Sendable {
    public var config: SiteConfig
    public var configPath: String
    public var homeTitle: String?
    public var homeBody: MarkdownSource?
    public var homeSources: [SourceReference] = []
    public var chapters: [Chapter] = []
    public var sections: [Section] = []
    public var countries: [Country] = []
    public var officials: [Official] = []
    public var agreements: [Agreement] = []
    public var organizations: [Organization] = []

    public init(config: SiteConfig, configPath: String) {
        self.config = config
        self.configPath = configPath
    }
}
