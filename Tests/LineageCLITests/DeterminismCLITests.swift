import Foundation
import Testing

/// "Same inputs and options give byte-identical JSON on any machine": different CPUs run different
/// OpenBLAS kernels (each sums in its own order), and Debian may route `libblas.so.3` to reference BLAS.
/// This runs the same commands under other kernels, under reference BLAS and with glibc's CPU-specific
/// code paths masked, on this machine, and compares the bytes. Before embeddings were put on
/// `EmbeddingGrid`, each BLAS variant gave a different `matrix --json`.
@Suite("CLI: the same JSON bytes under every BLAS kernel")
struct DeterminismCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let releaseBinary = ProcessInfo.processInfo.environment["LINEAGE_RELEASE_BIN"]
    static let referenceBLAS = "/usr/lib/x86_64-linux-gnu/blas"
    static let recordings = ["vicuna-13b", "gpt-3.5-turbo-0301", "text_davinci_003", "claude-2"]
        .map { "Probes/alpaca-eval/recordings/\($0).jsonl" }

    /// Another BLAS (or C library code path) for the child process, and how to see that it took effect:
    /// what `lineage doctor` prints, or for glibc what its dynamic loader reports.
    struct Variant {
        var name: String
        var environment: [String: String]
        var doctorSays: String?
    }

    static let variants = [
        Variant(name: "OpenBLAS Haswell kernels", environment: ["OPENBLAS_CORETYPE": "Haswell"], doctorSays: " Haswell "),
        Variant(name: "OpenBLAS generic x86-64 kernels", environment: ["OPENBLAS_CORETYPE": "Prescott"], doctorSays: " Prescott "),
        Variant(name: "reference BLAS", environment: ["LD_LIBRARY_PATH": referenceBLAS], doctorSays: "\(referenceBLAS)/libblas.so"),
        // glibc picks exp/log/memcpy… per CPU (FMA, AVX2, AVX-512 variants); masking those features selects
        // the plain x86-64 code, as on an older CPU.
        Variant(name: "glibc without AVX/FMA code paths",
                environment: ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX512F,-AVX2,-FMA,-AVX"], doctorSays: nil),
    ]

    static let dynamicLoader = "/lib64/ld-linux-x86-64.so.2"

    /// The variants this machine can run (a DYNAMIC_ARCH OpenBLAS for the first two, Debian's reference
    /// BLAS for the third, glibc ≥ 2.33 on x86-64 for the last), each checked so that none passes untried.
    static func applicableVariants(_ lineage: String) throws -> [Variant] {
        try variants.filter { variant in
            if let says = variant.doctorSays {
                let doctor = try CLI.run(executable: lineage, ["doctor"], in: root, environment: variant.environment)
                return doctor.stdout.contains(says)
            }
            guard FileManager.default.isExecutableFile(atPath: dynamicLoader) else { return false }
            let plain = try CLI.run(executable: dynamicLoader, ["--list-diagnostics"])
            let masked = try CLI.run(executable: dynamicLoader, ["--list-diagnostics"], environment: variant.environment)
            func active(_ output: CLI.Output) -> [Substring] {
                output.stdout.split(separator: "\n").filter { $0.hasPrefix("dl_hwcaps_subdirs_active=") }
            }
            return plain.status == 0 && !active(plain).isEmpty && active(plain) != active(masked)
        }
    }

    @Test(.enabled(if: releaseBinary != nil, "needs LINEAGE_RELEASE_BIN (set by make test)"))
    func matrixAndReportJSONDoNotDependOnTheBLAS() throws {
        let lineage = Self.releaseBinary ?? ""
        let variants = try Self.applicableVariants(lineage)
        #expect(!variants.isEmpty, "no other BLAS kernel could be selected on this machine: the test would prove nothing")

        let matrix = ["matrix", "--json"] + Self.recordings
        let expectedMatrix = try CLI.run(executable: lineage, matrix, in: Self.root)
        #expect(expectedMatrix.status == 0, "\(expectedMatrix.stderr)")

        let folder = try CLI.temporaryFolder("determinism")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func report(_ name: String, _ environment: [String: String]) throws -> Data {
            let out = (folder as NSString).appendingPathComponent(name.replacingOccurrences(of: " ", with: "-"))
            let run = try CLI.run(executable: lineage, ["compare", "--student", Self.recordings[0], "--teacher", Self.recordings[1],
                                                        "--out", out], in: Self.root, environment: environment)
            #expect(run.status == 0, "\(name): \(run.stderr)")
            return try Data(contentsOf: URL(fileURLWithPath: (out as NSString).appendingPathComponent("report.json")))
        }
        let expectedReport = try report("default", [:])

        for variant in variants {
            let other = try CLI.run(executable: lineage, matrix, in: Self.root, environment: variant.environment)
            #expect(other.status == 0, "\(variant.name): \(other.stderr)")
            #expect(other.stdoutBytes == expectedMatrix.stdoutBytes, "matrix --json differs under \(variant.name)")
            #expect(try report(variant.name, variant.environment) == expectedReport, "report.json differs under \(variant.name)")
        }
    }
}
