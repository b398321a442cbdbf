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
public enum VectorKernels {
    /// Whether this CPU and OS can run the kernels.
    static let supported = lineage_vector_kernels_available() != 0

    /// Whether they are turned off (`LINEAGE_VECTOR_KERNELS=off`).
    static let turnedOff = ProcessInfo.processInfo.environment["LINEAGE_VECTOR_KERNELS"] == "off"

    /// Whether the featurizer uses them: supported, and not turned off.
    static let available: Bool = supported && !turnedOff

    /// What `make bench` prints: which path featurizing takes on this machine.
    static var description: String { available ? "AVX-512" : "portable Swift" }

    /// What `lineage doctor` says of it: the path, and why when it is the portable one.
    public static var diagnosis: String {
        if available { return "featurizer: AVX-512 kernels" }
        if turnedOff && supported { return "featurizer: portable Swift (the AVX-512 kernels are turned off by LINEAGE_VECTOR_KERNELS=off)" }
        return """
            featurizer: portable Swift
            note: this CPU has no AVX-512 (F, BW, DQ, VL with BMI2), so featurizing takes the portable path; on an AVX-512 \
            machine the kernels ran 3.6× as fast per core (105 against 29 MB/s, docs/PERFORMANCE.md). Every result is the same byte for byte
            """
    }
}
