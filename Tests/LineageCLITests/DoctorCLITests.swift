import Foundation
import Testing

/// `lineage doctor` names the BLAS it loaded and the path featurizing takes on this machine.
@Suite("CLI: doctor")
struct DoctorCLITests {
    /// Whether /proc/cpuinfo lists the AVX-512 extensions the kernels need (nil where it cannot be read).
    static let cpuHasKernelExtensions: Bool? = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        let flags = Set(info.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
        return ["avx512f", "avx512bw", "avx512dq", "avx512vl", "bmi2"].allSatisfy(flags.contains)
    }()

    /// With reference BLAS first on the library path, LAPACK (and so OpenBLAS's configuration string) may
    /// still come from OpenBLAS: doctor must judge by the library that serves BLAS and warn.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: DeterminismCLITests.referenceBLAS + "/libblas.so.3"),
                   "needs Debian's reference BLAS (libblas3)"))
    func warnsAboutReferenceBLAS() throws {
        let lineage = try CLI.executable()
        let reference = try CLI.run(executable: lineage, ["doctor"], environment: ["LD_LIBRARY_PATH": DeterminismCLITests.referenceBLAS])
        #expect(reference.status == 0)
        #expect(reference.stdout.contains("BLAS:   \(DeterminismCLITests.referenceBLAS)/libblas.so"), "\(reference.stdout)")
        #expect(reference.stdout.contains("warning: the reference BLAS is loaded"), "\(reference.stdout)")
        let usual = try CLI.run(executable: lineage, ["doctor"])
        #expect(usual.stdout.contains("ok: an optimised BLAS is loaded") == !usual.stdout.contains("/blas/libblas.so"))
    }

    @Test("doctor says which featurizer path this CPU takes, and why when it is the portable one")
    func namesTheFeaturizerPath() throws {
        let run = try CLI.run(["doctor"])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = Self.cpuHasKernelExtensions.map { $0 ? "featurizer: AVX-512 kernels" : "this CPU has no AVX-512" }
        if let expected { #expect(run.stdout.contains(expected), "\(run.stdout)") }
        #expect(run.stdout.contains("featurizer: "), "\(run.stdout)")
        let off = try CLI.run(executable: try CLI.executable(), ["doctor"], environment: ["LINEAGE_VECTOR_KERNELS": "off"])
        #expect(off.stdout.contains("featurizer: Swift loops (the kernels are turned off by LINEAGE_VECTOR_KERNELS=off)"),
                "\(off.stdout)")
    }
}
