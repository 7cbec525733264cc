/// The script the preview server adds to every HTML page it serves (never to `chancery build` output).
///
/// It listens to `/__chancery/events?page=<this page's path>`: `reload` names the pages that changed (the current one
/// reloads itself), `css` swaps the stylesheet in place, `status` shows or clears an overlay
/// listing the build's errors as `path:line:col`.
enum LiveReloadScript {
    static let path = "/__chancery/live.js"
    static let eventsPath = "/__chancery/events"
    static let tag = "<script src=\"\(path)\" defer></script>"

    static let source = """
    (() => {
      "use strict";
      const here = () => {
        const path = decodeURIComponent(location.pathname);
        return path.endsWith("/index.html") ? path.slice(0, -10) : path;
      };
      let overlay = null;
      function showErrors(diagnostics) {
        if (!overlay) {
          overlay = document.createElement("div");
          overlay.id = "chancery-error-overlay";
          overlay.setAttribute("role", "alert");
          overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,28,.94);color:#fff;" +
            "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;overflow:auto;white-space:pre-wrap";
          document.body.appendChild(overlay);
        }
        overlay.textContent = "Chancery: the site did not build. The last good version is still served.\\n\\n" +
          diagnostics.join("\\n\\n") + "\\n\\nFix the file and save: this page updates by itself.";
      }
      function clearErrors() {
        if (overlay) { overlay.remove(); overlay = null; }
      }
      // The page shown is named, so the server renders it first after an edit.
      const events = new EventSource("\(eventsPath)?page=" + encodeURIComponent(here()));
      events.addEventListener("status", (event) => {
        const status = JSON.parse(event.data);
        if (status.ok) { clearErrors(); } else { showErrors(status.diagnostics); }
      });
      events.addEventListener("reload", (event) => {
        const urls = JSON.parse(event.data);
        if (urls.includes("*") || urls.includes(here())) { location.reload(); }
      });
      events.addEventListener("css", (event) => {
        const href = JSON.parse(event.data);
        for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
          if (new URL(link.href).pathname.includes("/assets/style.")) { link.href = href; }
        }
      });
    })();

    """

    /// The page with the script added before `</body>` (or at the end when there is none).
    static func inject(into html: [UInt8]) -> [UInt8] {
        let closing = Array("</body>".utf8)
        let tagBytes = Array(tag.utf8)
        if html.count >= closing.count {
            var index = html.count - closing.count
            while index >= 0 {
                if html[index] == closing[0], html[index..<(index + closing.count)].elementsEqual(closing) {
                    return Array(html[..<index]) + tagBytes + Array(html[index...])
                }
                index -= 1
            }
        }
        return html + tagBytes
    }
}
