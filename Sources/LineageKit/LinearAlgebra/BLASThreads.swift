import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS's own worker-thread count, when the loaded BLAS is OpenBLAS (looked up at run time with
/// `dlsym`, so a reference BLAS or another implementation simply has no control here).
///
/// Why: for the similarity step's few long rows (N ≈ 50 models × K ≈ 400 000), OpenBLAS threads a single
/// `sgemm` poorly (it splits M and N, which are small); two application threads that each run
/// single-threaded OpenBLAS on their own column blocks use both cores (see `BlockedGram`). Running
/// OpenBLAS single-threaded also makes each call's arithmetic independent of the machine's core count.
enum BLASThreads {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32

    private struct Control: @unchecked Sendable {
        let set: SetThreads
        let get: GetThreads
    }

    private static let control: Control? = {
        guard let handle = dlopen(nil, RTLD_NOW),
              let set = dlsym(handle, "openblas_set_num_threads"),
              let get = dlsym(handle, "openblas_get_num_threads") else { return nil }
        return Control(set: unsafeBitCast(set, to: SetThreads.self), get: unsafeBitCast(get, to: GetThreads.self))
    }()

    /// Serialises `singleThreaded` calls: the thread count is one process-wide setting.
    private static let lock = NSLock()

    /// Whether the loaded BLAS lets its thread count be set (OpenBLAS).
    static var isControllable: Bool { control != nil }

    /// OpenBLAS's current thread count, or nil when the BLAS is not OpenBLAS.
    static var current: Int? { control.map { Int($0.get()) } }

    /// Runs `body` with OpenBLAS limited to the calling thread, then restores the previous count.
    /// With another BLAS `body` runs unchanged.
    static func singleThreaded<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard let control else { return try body() }
        lock.lock()
        defer { lock.unlock() }
        let previous = control.get()
        if previous != 1 { control.set(1) }
        defer { if previous != 1 { control.set(previous) } }
        return try body()
    }
}
