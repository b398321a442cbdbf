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

    /// For `attribute`, which builds and frees the same few-MB matrices for every pair it scores (the MMD's
    /// distances, kernel and permutation blocks): each arena keeps 64 MB of freed memory at its top
    /// (`M_TOP_PAD`) instead of trimming it and faulting fresh zeroed pages back in for the next pair.
    /// Measured with `MALLOC_TOP_PAD_` on the 68-student batch of `make bench` (2 cores): 36.2 s wall and
    /// 13.8 s system time → 28.6 s and 1.6 s, peak RSS 389 → 386 MB; one `attribute` 1.92 → 1.65 s,
    /// 325 → 335 MB. Not for `matrix`, whose peak it would raise (219 → 231 MB) for no gain.
    static func keepFreedMemoryForReuse() {
        let topPad: Int32 = -2
        set(topPad, 64 << 20)
    }

    private static func set(_ parameter: Int32, _ value: Int32) {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(parameter, value)
        #endif
    }
}
