import Foundation

/// What the fuzz executables share: the libFuzzer entry point's body and the replay `main`.
///
/// Built with `-D FUZZING` (see `make fuzz`), each executable exports only
/// `LLVMFuzzerTestOneInput` and libFuzzer supplies `main`; in an ordinary build it has a `main`
/// that replays the files and folders named on its command line, so a crash found by the fuzzer
/// can be run again under a debugger or kept as a regression test.
public enum FuzzMain {
    /// Runs one input; on a broken promise prints it and aborts, which libFuzzer records as a crash.
    public static func testOneInput(_ target: FuzzHarness.Target, _ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        let problems = target.run(bytes)
        if !problems.isEmpty {
            FileHandle.standardError.write(Data(("fuzz-\(target.rawValue): broken promise\n" + problems.joined(separator: "\n") + "\n").utf8))
            abort()
        }
        return 0
    }

    /// `fuzz-<target> FILE|DIR…`: replays each input and exits 1 if any broke a promise (a crash ends the process on its own).
    public static func replay(_ target: FuzzHarness.Target, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        guard !arguments.isEmpty, !arguments.contains("--help"), !arguments.contains("-h") else {
            print("""
                usage: fuzz-\(target.rawValue) FILE|DIR...
                Replays saved inputs through the \(target.rawValue) fuzz target (a crash ends the process).
                Fuzz with libFuzzer instead: make fuzz (builds with -D FUZZING and -sanitize=fuzzer,address).
                """)
            exit(arguments.isEmpty ? 64 : 0)
        }
        let failures = FuzzHarness.replay(arguments, target: target)
        for failure in failures {
            print("\(failure.path):")
            for problem in failure.problems { print("  \(problem)") }
        }
        exit(failures.isEmpty ? 0 : 1)
    }
}
