/// Builds `feed.xml`: an Atom feed of the report's dated sections, newest first.
///
/// Everything in it comes from the content, never from the clock: the feed's id is the site's
/// base URL, each entry's id its page's URL, and `updated` the newest section date, so two builds
/// of the same input write the same bytes. Atom needs absolute ids and dates, so the feed is
/// written only when the base URL has a scheme and host and at least one section has a date.
public struct FeedWriter: Sendable {
    public var graph: SiteGraph
    public var urls: SiteURLs

    /// Feed readers only look at the newest entries; older sections stay on the site and in the sitemap.
    public static let maximumEntries = 50

    public init(graph: SiteGraph, urls: SiteURLs) {
        self.graph = graph
        self.urls = urls
    }

    /// The indices of the sections in the feed: those with a date, newest first, in report order among equal dates.
    public func entries() -> [Int] {
        let dated = graph.sections.indices.filter { graph.sections[$0].date != nil }
        let sorted = dated.sorted { a, b in
            let dayA = graph.sections[a].date!, dayB = graph.sections[b].date!
            return dayA != dayB ? dayA > dayB : a < b
        }
        return Array(sorted.prefix(FeedWriter.maximumEntries))
    }

    /// The feed's URL when one is written, for the layout's `<link rel="alternate">`.
    public var url: String? {
        SitemapWriter.hasAbsoluteBase(graph.config) && graph.sections.contains { $0.date != nil } ? urls.feed : nil
    }

    /// The feed, or nil when there is none (see `url`).
    public func bytes() -> [UInt8]? {
        guard url != nil else { return nil }
        let config = graph.config
        let origin = config.origin
        let entries = entries()
        let updated = XMLText.timestamp(graph.sections[entries[0]].date!)
        func element(_ name: String, _ text: String) -> String { "<\(name)>" + XMLText.escaped(text) + "</\(name)>\n" }
        func link(_ rel: String, _ type: String, _ href: String) -> String {
            "<link rel=\"\(rel)\" type=\"\(type)\" href=\"" + XMLText.escaped(href) + "\"/>\n"
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" + XMLText.escaped(config.language) + "\">\n"
        out += element("title", config.title)
        if let description = config.description { out += element("subtitle", description) }
        out += link("self", "application/atom+xml", origin + urls.feed)
        out += link("alternate", "text/html", origin + urls.home)
        out += element("id", origin + urls.home)
        out += element("updated", updated)
        out += "<author>" + element("name", config.title).dropLast() + "</author>\n"
        out += "<generator>Chancery</generator>\n"
        for index in entries {
            let section = graph.sections[index]
            let chapter = graph.chapters[graph.sectionChapter[index]]
            let address = origin + urls.section(chapter: section.chapterSlug, slug: section.slug)
            let date = XMLText.timestamp(section.date!)
            out += "<entry>\n"
            out += element("title", "\(section.number.value). \(section.title)")
            out += link("alternate", "text/html", address)
            out += element("id", address)
            out += element("published", date)
            out += element("updated", date)
            out += "<category term=\"" + XMLText.escaped(chapter.slug) + "\" label=\"" + XMLText.escaped(chapter.heading) + "\"/>\n"
            if let summary = section.summary { out += element("summary", summary) }
            out += "</entry>\n"
        }
        out += "</feed>\n"
        return Array(out.utf8)
    }
}
