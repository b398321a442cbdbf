import ArgumentParser
import LineageKit

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Say which BLAS and LAPACK are loaded and which path featurizing takes, and warn when either is the slow one."
    )

    func run() throws {
        let backend = LinearAlgebraBackend.current()
        print("lineage \(ToolInfo.version)")
        print("BLAS:   \(backend.blasLibrary)")
        print("LAPACK: \(backend.lapackLibrary)")
        if let config = backend.openBLASConfig { print("OpenBLAS: \(config)") }
        if backend.isReferenceBLAS {
            print("""
            warning: the reference BLAS is loaded; it is 17–20× slower than OpenBLAS here.
              install it:  apt-get install libopenblas0-pthread
              or select it: update-alternatives --config libblas.so.3-x86_64-linux-gnu
            """)
        } else {
            print("ok: an optimised BLAS is loaded")
        }
        print(VectorKernels.diagnosis)
    }
}
