import Foundation
import Testing

/// Compares text with a golden file under `Tests/ChanceryTests/Snapshots/`; `RECORD_SNAPSHOTS=1` rewrites the file instead.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = TestSite.packageRoot + "/Tests/ChanceryTests/Snapshots/" + name
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try TestSite.write(actual, to: path)
        return
    }
    guard let expected = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
        Issue.record("no snapshot at \(path); run with RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actualLines.count, expectedLines.count)
        Issue.record("""
            snapshot \(name) differs at line \(first + 1):
              expected: \(first < expectedLines.count ? String(expectedLines[first]) : "<end>")
              actual:   \(first < actualLines.count ? String(actualLines[first]) : "<end>")
            (re-record with RECORD_SNAPSHOTS=1 if the change is intended)
            """, sourceLocation: sourceLocation)
    }
}
