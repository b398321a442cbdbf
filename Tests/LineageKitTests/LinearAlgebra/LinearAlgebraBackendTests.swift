import Testing
@testable import LineageKit

@Suite struct LinearAlgebraBackendTests {
    /// `lineage doctor` must name the shared objects that really serve BLAS and LAPACK in this process.
    @Test func namesTheLoadedLibraries() {
        _ = BLAS.gram(Matrix(rows: 2, columns: 2, values: [1, 2, 3, 4]))
        let backend = LinearAlgebraBackend.current()
        #expect(backend.blasLibrary.hasPrefix("/"))
        #expect(backend.blasLibrary.contains("blas"))
        #expect(backend.lapackLibrary.hasPrefix("/"))
        #expect(backend.isReferenceBLAS == !backend.blasLibrary.contains("openblas"))
    }
}
