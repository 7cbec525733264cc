import ChanceryMustache

/// The benchmark page: a layout with header/footer partials, and a page template inheriting from it
/// with a 20-item loop of 3 tags per item; about 5 KB rendered.
///
/// Run with `swift run -c release mustache-bench`: it renders the page 5 x 20,000 times and prints
/// ms per page, next to `handWritten`, the same page built from byte appends.
let templates: [String: String] = [
    "layout": """
        <!DOCTYPE html>
        <html lang="en">
          <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{$title}}{{site.name}}{{/title}}</title>
            <link rel="stylesheet" href="/assets/site.css">
            <link rel="alternate" type="application/rss+xml" title="{{site.name}}" href="/feed.xml">
            <meta name="description" content="{{$description}}{{site.tagline}}{{/description}}">
          </head>
          <body class="{{$bodyClass}}page{{/bodyClass}}">
            {{> partials/header}}
            <main id="content" class="container">
              {{$content}}
              <p>Nothing here yet.</p>
              {{/content}}
            </main>
            {{> partials/footer}}
          </body>
        </html>

        """,
    "partials/header": """
        <header class="site-header">
          <a class="brand" href="/">{{site.name}}</a>
          <nav aria-label="Main">
            <ul>
              {{#site.menu}}
              <li><a href="{{url}}">{{label}}</a></li>
              {{/site.menu}}
            </ul>
          </nav>
          <form class="search" action="/search" method="get"><input type="search" name="q" placeholder="Search {{site.name}}"></form>
        </header>

        """,
    "partials/footer": """
        <footer class="site-footer">
          <p>&copy; {{site.year}} {{site.name}}. All rights reserved. Built with a static site generator.</p>
          <p><a href="/about/">About</a> · <a href="/contact/">Contact</a> · <a href="/privacy/">Privacy</a> · <a href="/feed.xml">RSS</a></p>
        </footer>

        """,
    "page": """
        {{<layout}}
        {{$title}}{{title}} – {{site.name}}{{/title}}
        {{$bodyClass}}page listing{{/bodyClass}}
        {{$content}}
        <article class="listing">
          <h1>{{title}}</h1>
          <p class="lead">{{intro}}</p>
          <ul class="items">
            {{#items}}
            <li class="item"><a href="{{url}}">{{name}}</a><p class="summary">{{summary}}</p></li>
            {{/items}}
          </ul>
          {{^items}}<p>No items.</p>{{/items}}
        </article>
        {{/content}}
        {{/layout}}

        """,
]

let items: [MustacheValue] = (1...20).map { index in
    .object([
        "url": .string("/articles/\(index)/notes-on-templates/"),
        "name": .string("Article \(index): <templates> & rendering"),
        "summary": .string("Summary of article \(index), with \"quotes\"."),
    ])
}
let site: MustacheValue = [
    "name": "Chancery Notes",
    "tagline": "Notes & essays on building things",
    "year": 2026,
    "menu": [
        ["url": "/", "label": "Home"], ["url": "/articles/", "label": "Articles"],
        ["url": "/tags/", "label": "Tags"], ["url": "/about/", "label": "About"],
    ],
]
let data: MustacheValue = [
    "site": site,
    "title": "All articles",
    "intro": "Everything written so far, newest first. Some titles contain <angle brackets> & ampersands.",
    "items": .list(items),
]

/// The same page written by hand with byte appends and the same escaping, as a lower bound.
func handWritten(into out: inout [UInt8]) {
    func raw(_ string: String) { out.append(contentsOf: string.utf8) }
    func esc(_ string: String) {
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case UInt8(ascii: "'"): raw("&#39;")
            default: out.append(byte)
            }
        }
    }
    guard case .object(let root) = data, case .object(let siteObject) = root["site"]!,
        case .string(let siteName) = siteObject["name"]!, case .string(let tagline) = siteObject["tagline"]!,
        case .string(let title) = root["title"]!, case .string(let intro) = root["intro"]!,
        case .list(let menu) = siteObject["menu"]!, case .list(let list) = root["items"]!
    else { fatalError() }
    raw("<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n    <title>")
    esc(title); raw(" – "); esc(siteName)
    raw("</title>\n    <link rel=\"stylesheet\" href=\"/assets/site.css\">\n    <link rel=\"alternate\" type=\"application/rss+xml\" title=\"")
    esc(siteName)
    raw("\" href=\"/feed.xml\">\n    <meta name=\"description\" content=\"")
    esc(tagline)
    raw("\">\n  </head>\n  <body class=\"page listing\">\n    <header class=\"site-header\">\n      <a class=\"brand\" href=\"/\">")
    esc(siteName)
    raw("</a>\n      <nav aria-label=\"Main\">\n        <ul>\n")
    for entry in menu {
        guard case .object(let link) = entry, case .string(let url) = link["url"]!, case .string(let label) = link["label"]!
        else { continue }
        raw("          <li><a href=\""); esc(url); raw("\">"); esc(label); raw("</a></li>\n")
    }
    raw("        </ul>\n      </nav>\n      <form class=\"search\" action=\"/search\" method=\"get\"><input type=\"search\" name=\"q\" placeholder=\"Search ")
    esc(siteName)
    raw("\"></form>\n    </header>\n    <main id=\"content\" class=\"container\">\n      <article class=\"listing\">\n        <h1>")
    esc(title); raw("</h1>\n        <p class=\"lead\">"); esc(intro); raw("</p>\n        <ul class=\"items\">\n")
    for entry in list {
        guard case .object(let item) = entry, case .string(let url) = item["url"]!, case .string(let name) = item["name"]!,
            case .string(let summary) = item["summary"]!
        else { continue }
        raw("          <li class=\"item\"><a href=\""); esc(url); raw("\">"); esc(name)
        raw("</a><p class=\"summary\">"); esc(summary); raw("</p></li>\n")
    }
    raw("        </ul>\n        \n      </article>\n    </main>\n    <footer class=\"site-footer\">\n      <p>&copy; ")
    guard case .int(let year) = siteObject["year"]! else { fatalError() }
    raw(String(year)); raw(" "); esc(siteName)
    raw(". All rights reserved. Built with a static site generator.</p>\n      <p><a href=\"/about/\">About</a> · <a href=\"/contact/\">Contact</a> · <a href=\"/privacy/\">Privacy</a> · <a href=\"/feed.xml\">RSS</a></p>\n    </footer>\n  </body>\n</html>\n")
}

/// Times `rounds` rounds of `iterations` calls after a warm-up; prints the median and best round.
///
/// The machine may be shared, so the best round is the figure least disturbed by other work.
func measure(_ label: String, iterations: Int, rounds: Int = 5, _ body: () throws -> Int) rethrows -> Double {
    var checksum = 0
    for _ in 0..<1_000 { checksum &+= try body() }
    let clock = ContinuousClock()
    var perPage: [Double] = []
    for _ in 0..<rounds {
        let start = clock.now
        for _ in 0..<iterations { checksum &+= try body() }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        perPage.append(seconds * 1_000 / Double(iterations))
    }
    perPage.sort()
    let padded = label + String(repeating: " ", count: max(0, 42 - label.count))
    print("\(padded) median \(format3(perPage[rounds / 2])) ms/page, best \(format3(perPage[0])) ms/page  (\(rounds) x \(iterations) pages, checksum \(checksum))")
    return perPage[0]
}

func format3(_ value: Double) -> String {
    let scaled = (value * 10_000).rounded() / 10_000
    return String(scaled)
}

let iterations = 20_000
let library = try MustacheLibrary(templates: templates)
var buffer: [UInt8] = []
buffer.reserveCapacity(16 * 1024)

try library.render("page", data, into: &buffer)
let engineOutput = buffer
buffer.removeAll(keepingCapacity: true)
handWritten(into: &buffer)
let handOutput = buffer
print("page size: \(engineOutput.count) bytes; output identical to hand-written: \(engineOutput == handOutput)")
if engineOutput != handOutput {
    print("--- engine ---\n" + String(decoding: engineOutput, as: UTF8.self))
    print("--- hand-written ---\n" + String(decoding: handOutput, as: UTF8.self))
}

let engine = try measure("engine, reused buffer (render into:)", iterations: iterations) {
    buffer.removeAll(keepingCapacity: true)
    try library.render("page", data, into: &buffer)
    return buffer.count
}
_ = try measure("engine, new buffer per page (render)", iterations: iterations) {
    try library.render("page", data).count
}
let hand = measure("hand-written byte appends, reused buffer", iterations: iterations) {
    buffer.removeAll(keepingCapacity: true)
    handWritten(into: &buffer)
    return buffer.count
}
print("engine / hand-written (best rounds): \(format3(engine / hand))x")
