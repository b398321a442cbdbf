#if canImport(Glibc)
import Glibc
#endif

/// Process-wide allocator settings, made once before any command runs.
///
/// glibc serves large allocations from `mmap` and hands them back on `free`, but only until the first
/// such buffer is freed: from then on its "dynamic threshold" serves buffers up to that size (the model
/// file, each recording's bytes, each worker's count table) from the heap, and keeps their memory after
/// `free`. A `lineage matrix` over many files then carries several MB of freed buffers beside its
/// embeddings. Fixing the thresholds (`mallopt(M_MMAP_THRESHOLD)`, `M_TRIM_THRESHOLD`; glibc manual,
/// "Memory Allocation Tunables") returns them as soon as they are freed. Measured on the 52 AlpacaEval
/// files: peak RSS 133.0 → 129.6 MB (KiB), time unchanged within noise. `mallopt` is looked up at run
/// time (it is not in the Glibc module); on another C library this does nothing. Set here, these override
/// the `MALLOC_MMAP_THRESHOLD_` and `MALLOC_TRIM_THRESHOLD_` environment variables.
enum ProcessMemory {
    static func returnFreedBuffersPromptly() {
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1
        set(mmapThreshold, 256 * 1024)
        set(trimThreshold, 1024 * 1024)
    }

    /// For `attribute`, which builds and frees the same buffers for every pair it scores: each arena keeps
    /// 16 MB of freed memory at its top (`M_TOP_PAD`) instead of trimming it and faulting fresh zeroed pages
    /// back in for the next pair. The 68-student batch of `make bench` (2 cores) with a pad of 0 / 4 / 8 / 16
    /// / 24 / 32 / 64 MB: 37.0 / 34.2 / 32.4 / 27.3–30.0 / 28.0 / 30.3 / 28.2 s wall, 16.2 / 13.1 / 10.7 / 2.9–3.2
    /// / 2.4 / 2.3 / 0.5 s system time, peak RSS 16 MB: 262–269 MB, 64 MB: 272 MB. 16 MB is as fast as 64 and
    /// holds less. Not for `matrix`, whose peak a pad raises (219 → 231 MB at 64 MB) for no gain.
    static func keepFreedMemoryForReuse() {
        let topPad: Int32 = -2
        set(topPad, 16 << 20)
    }

    private static func set(_ parameter: Int32, _ value: Int32) {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(parameter, value)
        #endif
    }
}
