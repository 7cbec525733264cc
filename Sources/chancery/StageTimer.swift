import Chancery
import Foundation
import Synchronization

/// Records when each build stage starts, to print a per-stage timing line, and shows progress on a terminal.
final class StageTimer: Sendable {
    private struct State {
        var starts: [(stage: BuildStage, at: ContinuousClock.Instant)] = []
        var lastDraw = ContinuousClock.now
        var drewProgress = false
    }

    private let clock = ContinuousClock()
    private let begin: ContinuousClock.Instant
    private let state = Mutex(State())
    /// Whether to draw a progress line on standard error (a terminal, not --quiet).
    let showsProgress: Bool

    init(showsProgress: Bool) {
        self.begin = clock.now
        self.showsProgress = showsProgress
    }

    func record(_ progress: BuildProgress) {
        let now = clock.now
        state.withLock { state in
            if state.starts.last?.stage != progress.stage { state.starts.append((progress.stage, now)) }
            // Progress appears only once a build has run for a second, and is redrawn at most ten times a second.
            guard showsProgress, now - begin > .seconds(1), now - state.lastDraw > .milliseconds(100) || progress.done == progress.total else { return }
            state.lastDraw = now
            state.drewProgress = true
            let count = progress.total > 0 ? " \(progress.done)/\(progress.total)" : ""
            FileHandle.standardError.write(Data("\r\u{1B}[K\(progress.stage.rawValue)\(count)".utf8))
        }
    }

    /// Clears the progress line, if one was drawn.
    func finish() {
        state.withLock { state in
            if state.drewProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            state.drewProgress = false
        }
    }

    var elapsed: Double { StageTimer.seconds(clock.now - begin) }

    /// `load 0.01 s · parse 0.20 s · …`, each stage lasting until the next one started.
    var summary: String {
        let end = clock.now
        let starts = state.withLock { $0.starts }
        var parts: [String] = []
        for (index, start) in starts.enumerated() {
            let stop = index + 1 < starts.count ? starts[index + 1].at : end
            parts.append("\(start.stage.rawValue) \(String(format: "%.2f", StageTimer.seconds(stop - start.at))) s")
        }
        return parts.joined(separator: " · ")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
