import CFeatureKernels
import Foundation

/// Whether the featurizer runs its AVX-512 kernels (`Sources/CFeatureKernels`) for folding ASCII text,
/// hashing character and word n-grams and projecting buckets.
///
/// Each kernel gives the same bytes as the Swift loop it replaces (integer arithmetic, and the drain's float
/// steps in the Swift loop's order; the tests run both on every answer of the bundled probe set), so this
/// choice changes speed, never a result. It is on when the CPU and OS support AVX-512 F/BW/DQ/VL and BMI2
/// (the fold also uses VBMI2 where the CPU has it), unless `LINEAGE_VECTOR_KERNELS=off` asks for the
/// portable path (for A/B timing and for checking a result on the Swift path alone).
enum VectorKernels {
    /// Whether this CPU and OS can run the kernels.
    static let supported = lineage_vector_kernels_available() != 0

    /// Whether the featurizer uses them: supported, and not turned off.
    static let available: Bool = supported && ProcessInfo.processInfo.environment["LINEAGE_VECTOR_KERNELS"] != "off"

    /// What `make bench` prints: which path featurizing takes on this machine.
    static var description: String { available ? "AVX-512" : "portable Swift" }
}
