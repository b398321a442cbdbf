import Testing
@testable import LineageKit

@Suite("SymmetricMatrix")
struct SymmetricMatrixTests {
    @Test("the packed upper triangle reads back every entry of the full matrix, and selects as the full one does")
    func packedEntriesMatchTheFullMatrix() {
        let rows = Matrix(rows: 6, columns: 4, values: (0..<24).map { Float(($0 * 7) % 11) - 5 })
        let full = BLAS.gram(rows)
        let packed = SymmetricMatrix(upperTriangleOf: full)
        #expect(packed.values.count == 6 * 7 / 2)
        for i in 0..<6 { for j in 0..<6 { #expect(packed[i, j] == full.values[i * 6 + j]) } }
        let indices = [0, 2, 3, 5]
        let selected = packed.selecting(indices), fullSelected = full.selecting(indices)
        for i in 0..<4 { for j in 0..<4 { #expect(selected[i, j] == fullSelected.values[i * 4 + j]) } }
        #expect(packed.selecting(Array(0..<6)) == packed)
    }
}
