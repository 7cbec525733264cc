import Chancery
import Foundation

/// Prints diagnostics to standard error, `path:line:col: error: message`, the way compilers do.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [Diagnostic]) {
        printError(diagnostics.sortedForDisplay().map(\.description).joined(separator: "\n"))
    }

    static func printError(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
