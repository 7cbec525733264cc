/// The error a build throws when any stage found errors; it carries every diagnostic found so far.
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    /// The stage that stopped the build.
    public var stage: BuildStage
    public var diagnostics: [Diagnostic]

    public init(stage: BuildStage, diagnostics: [Diagnostic]) {
        self.stage = stage
        self.diagnostics = diagnostics.sortedForDisplay()
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
