import CFeatureKernels
import Foundation

/// Which implementation of the featurizer's hottest loops runs (`Sources/CFeatureKernels`).
///
/// Every path gives the same bytes as the Swift loops (integer arithmetic, and the drain's float steps in
/// the Swift loop's order; the tests run each path on every answer of the bundled probe set), so the choice
/// changes speed, never a result.
enum FeaturizerKernels: Sendable, Hashable, CaseIterable {
    /// The Swift loops alone: the reference every other path is held to (`LINEAGE_VECTOR_KERNELS=off`).
    case swift
    /// Plain-C loops for the n-gram hashes (any CPU), and AVX2 for the ASCII fold and scan where the CPU
    /// has it: a CPU without AVX-512.
    case portable
    /// The AVX-512 kernels (F, BW, DQ, VL with BMI2; the fold and the word tokenizer also use VBMI2 where
    /// the CPU has it).
    case avx512

    /// The paths this machine can run: the Swift loops, the portable kernels, and the AVX-512 ones where
    /// the CPU has them (what the tests hold to each other).
    static var runnable: [FeaturizerKernels] { VectorKernels.supported ? [.swift, .portable, .avx512] : [.swift, .portable] }

    /// Whether this path runs the AVX2 fold and ASCII scan (a portable path on an AVX2 CPU).
    var avx2: Bool { self == .portable && VectorKernels.avx2Supported }

    /// Whether the ASCII fold runs as a vector kernel on this path.
    var foldsInVectors: Bool { self == .avx512 || avx2 }

    /// `TextNormalizer.foldASCII` of `bytes` into `output` (room for `bytes.count`) by this path's vector
    /// fold: the same bytes, or nil for a text that is not all ASCII. Only where `foldsInVectors`.
    func foldASCII(_ bytes: UnsafeBufferPointer<UInt8>, lowercase: Bool, into output: UnsafeMutablePointer<UInt8>) -> Int? {
        let folded = self == .avx512
            ? lineage_fold_ascii(bytes.baseAddress, bytes.count, lowercase ? 1 : 0, 1, output)
            : lineage_fold_ascii_avx2(bytes.baseAddress, bytes.count, lowercase ? 1 : 0, output)
        return folded < 0 ? nil : folded
    }

    /// `foldASCII` from the middle of a text (`lineage_fold_ascii_continuing`). Only where `foldsInVectors`.
    func foldASCIIContinuing(_ bytes: UnsafeBufferPointer<UInt8>, lowercase: Bool, into output: UnsafeMutablePointer<UInt8>,
                             written: Int, pendingSpace: inout Int32, pendingNewlines: inout Int32) -> Int {
        self == .avx512
            ? lineage_fold_ascii_continuing(bytes.baseAddress, bytes.count, lowercase ? 1 : 0, 1, output, written,
                                            &pendingSpace, &pendingNewlines)
            : lineage_fold_ascii_continuing_avx2(bytes.baseAddress, bytes.count, lowercase ? 1 : 0, output, written,
                                                 &pendingSpace, &pendingNewlines)
    }

    /// How many bytes from `text` on are ASCII, at most `length` (only the kernel paths scan for it).
    func asciiPrefix(_ text: UnsafePointer<UInt8>, _ length: Int) -> Int {
        self == .avx512 ? lineage_ascii_prefix(text, length)
            : avx2 ? lineage_ascii_prefix_avx2(text, length) : lineage_ascii_prefix_portable(text, length)
    }
}

/// What this machine runs: the AVX-512 kernels where the CPU and OS support them, else the portable ones,
/// unless `LINEAGE_VECTOR_KERNELS=off` asks for the Swift loops alone (for A/B timing and for checking a
/// result on the reference path).
public enum VectorKernels {
    /// Whether this CPU and OS can run the AVX-512 kernels.
    static let supported = lineage_vector_kernels_available() != 0

    /// Whether this CPU and OS can run the AVX2 kernels.
    static let avx2Supported = lineage_avx2_available() != 0

    /// Whether the kernels are turned off (`LINEAGE_VECTOR_KERNELS=off`).
    static let turnedOff = ProcessInfo.processInfo.environment["LINEAGE_VECTOR_KERNELS"] == "off"

    /// The path the featurizer takes.
    static let path: FeaturizerKernels = turnedOff ? .swift : supported ? .avx512 : .portable

    /// Whether the featurizer uses the AVX-512 kernels.
    static var available: Bool { path == .avx512 }

    /// What `make bench` prints: which path featurizing takes on this machine.
    static var description: String {
        switch path {
        case .avx512: "AVX-512"
        case .portable: avx2Supported ? "portable C, AVX2" : "portable C"
        case .swift: "Swift loops"
        }
    }

    /// What `lineage doctor` says of it: the path, and why when it is not the AVX-512 one.
    public static var diagnosis: String {
        switch path {
        case .avx512:
            return "featurizer: AVX-512 kernels"
        case .swift:
            return "featurizer: Swift loops (the kernels are turned off by LINEAGE_VECTOR_KERNELS=off)"
        case .portable:
            return """
                featurizer: portable kernels (plain C\(avx2Supported ? " and AVX2" : ""))
                note: this CPU has no AVX-512 (F, BW, DQ, VL with BMI2), so featurizing takes the portable path: on an AVX2 \
                machine it ran 1.9× as fast per core as the Swift loops (37 against 19 MB/s), on an AVX-512 one the AVX-512 \
                kernels 3.6× (105 against 29 MB/s; docs/PERFORMANCE.md). Every result is the same byte for byte
                """
        }
    }
}
