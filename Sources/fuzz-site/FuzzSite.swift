// The libFuzzer target for FuzzHarness.site (see FuzzHarness.swift); `make fuzz` runs it.
import ChanceryFuzz

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzMain.testOneInput(.site, data, size)
}
#else
@main
struct FuzzSite {
    static func main() {
        FuzzMain.replay(.site)
    }
}
#endif
