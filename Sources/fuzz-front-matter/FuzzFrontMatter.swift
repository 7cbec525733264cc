// The libFuzzer target for FuzzHarness.frontMatter (see FuzzHarness.swift); `make fuzz` runs it.
import ChanceryFuzz

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzMain.testOneInput(.frontMatter, data, size)
}
#else
@main
struct FuzzFrontMatter {
    static func main() {
        FuzzMain.replay(.frontMatter)
    }
}
#endif
