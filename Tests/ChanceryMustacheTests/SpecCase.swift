import ChanceryMustache
import Foundation
import Testing

/// One test of the official Mustache spec, loaded from its JSON file.
///
/// The spec directory comes from `MUSTACHE_SPEC_DIR` when set, else the copy vendored in
/// `Spec/` beside this file. Lambda files are skipped (lambdas are not
/// supported). When no directory is found, `all` holds a single case whose
/// `loadError` says where it looked, so the failure shows in the test
/// report instead of the test silently running zero cases.
struct SpecCase: Sendable, CustomTestStringConvertible {
    let file: String
    let name: String
    let template: String
    let data: MustacheValue
    let partials: [String: String]
    let expected: String
    let loadError: String?

    var testDescription: String { "\(file): \(name)" }

    static let all: [SpecCase] = load()

    /// The spec directory, or nil; an explicit `MUSTACHE_SPEC_DIR` is the only candidate when set.
    static func directory() -> String? {
        let candidates: [String]
        if let explicit = ProcessInfo.processInfo.environment["MUSTACHE_SPEC_DIR"], !explicit.isEmpty {
            candidates = [explicit]
        } else {
            candidates = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Spec"]
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/interpolation.json") }
    }

    private static func load() -> [SpecCase] {
        guard let directory = directory() else {
            let explicit = ProcessInfo.processInfo.environment["MUSTACHE_SPEC_DIR"] ?? ""
            let looked = explicit.isEmpty ? "Tests/ChanceryMustacheTests/Spec" : "MUSTACHE_SPEC_DIR=\(explicit)"
            return [failure("Mustache spec not found (no interpolation.json in \(looked))")]
        }
        do {
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json") && !$0.contains("lambdas") }
                .sorted()
            var cases: [SpecCase] = []
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
                let spec = try JSONDecoder().decode(SpecFile.self, from: data)
                let stem = String(file.dropLast(".json".count))
                for test in spec.tests {
                    cases.append(SpecCase(
                        file: stem, name: test.name, template: test.template, data: test.data.value,
                        partials: test.partials ?? [:], expected: test.expected, loadError: nil))
                }
            }
            return cases.isEmpty ? [failure("no spec tests found in \(directory)")] : cases
        } catch {
            return [failure("cannot load the Mustache spec from \(directory): \(error)")]
        }
    }

    private static func failure(_ message: String) -> SpecCase {
        SpecCase(file: "spec", name: "load", template: "", data: .null, partials: [:], expected: "", loadError: message)
    }
}

private struct SpecFile: Decodable {
    let tests: [SpecTest]
}

private struct SpecTest: Decodable {
    let name: String
    let data: JSONValue
    let template: String
    let partials: [String: String]?
    let expected: String
}

/// Decodes arbitrary JSON into a `MustacheValue`, keeping integers and doubles apart.
private struct JSONValue: Decodable {
    let value: MustacheValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            value = .int(number)
        } else if let number = try? container.decode(Double.self) {
            value = .double(number)
        } else if let string = try? container.decode(String.self) {
            value = .string(string)
        } else if let list = try? container.decode([JSONValue].self) {
            value = .list(list.map(\.value))
        } else {
            value = .object(try container.decode([String: JSONValue].self).mapValues(\.value))
        }
    }
}
