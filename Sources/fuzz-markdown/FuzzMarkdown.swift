// The libFuzzer target for FuzzHarness.markdown (see FuzzHarness.swift); `make fuzz` runs it.
import ChanceryFuzz

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzMain.testOneInput(.markdown, data, size)
}
#else
@main
struct FuzzMarkdown {
    static func main() {
        FuzzMain.replay(.markdown)
    }
}
#endif
