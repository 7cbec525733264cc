import Chancery
import Foundation

/// Prints diagnostics to standard error, `path:line:col: error: message`, the way compilers do.
enum DiagnosticPrinter {
    /// Prints every error and up to `limit` warnings (0: all), then how many warnings were left out.
    /// The library returns diagnostics in display order already.
    static func print(_ diagnostics: [Diagnostic], limit: Int = 0) {
        var shown: [Diagnostic] = []
        var warnings = 0
        for diagnostic in diagnostics {
            if diagnostic.severity == .warning {
                warnings += 1
                if limit > 0 && warnings > limit { continue }
            }
            shown.append(diagnostic)
        }
        var text = shown.map(\.description).joined(separator: "\n")
        if limit > 0 && warnings > limit {
            text += "\n… and \(warnings - limit) more warnings (show them all with --max-warnings 0)"
        }
        printError(text)
    }

    /// Writes a line to standard output at once (unbuffered, so a log file follows the server as it runs).
    static func printOutput(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func printError(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
