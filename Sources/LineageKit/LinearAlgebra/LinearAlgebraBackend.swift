import CLinearAlgebra
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which BLAS and LAPACK the process actually loaded, for `lineage doctor` and the manifest.
///
/// Debian routes `libblas.so.3` through its alternatives system; reference BLAS is 17–20× slower
/// than OpenBLAS on the same machine, so a slow run should be explained before it is blamed.
public struct LinearAlgebraBackend: Sendable, Codable, Equatable {
    public let blasLibrary: String
    public let lapackLibrary: String
    public let isReferenceBLAS: Bool
    public let openBLASConfig: String?

    public static func current() -> LinearAlgebraBackend {
        let blas = loadedLibraryPath(containing: "cblas_sgemm") ?? "unknown"
        let lapack = loadedLibraryPath(containing: "sgesdd_") ?? "unknown"
        var config: String? = nil
        if let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "openblas_get_config") {
            typealias GetConfig = @convention(c) () -> UnsafePointer<CChar>?
            let function = unsafeBitCast(symbol, to: GetConfig.self)
            if let text = function() { config = String(cString: text) }
        }
        // Judged by the library that serves `cblas_sgemm` alone: OpenBLAS's configuration string is also
        // there when only LAPACK comes from OpenBLAS (reference `libblas.so.3` first on the library path).
        let name = blas.lowercased()
        let isReference = blas != "unknown" && !name.contains("openblas") && !name.contains("mkl") && !name.contains("blis")
        return LinearAlgebraBackend(blasLibrary: blas, lapackLibrary: lapack,
                                    isReferenceBLAS: isReference, openBLASConfig: config)
    }

    /// The real path of the shared object that defines `symbol` in this process, read from
    /// `/proc/self/maps` (the mapping that contains the symbol's address).
    private static func loadedLibraryPath(containing symbol: String) -> String? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, symbol) else { return nil }
        let target = UInt(bitPattern: address)
        // /proc files report size 0, so read them as a stream rather than by their stated size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return nil }
        defer { try? handle.close() }
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6 else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let low = UInt(range[0], radix: 16), let high = UInt(range[1], radix: 16),
                  low <= target, target < high else { continue }
            let path = fields[5...].joined(separator: " ")
            guard let resolved = realpath(path, nil) else { return path }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return nil
    }
}
