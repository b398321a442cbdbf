/// A symmetric n×n matrix held as its upper triangle (diagonal included), row by row: half the memory of
/// the full matrix, for Gram matrices that are kept (a batch keeps every candidate's self-Gram).
struct SymmetricMatrix: Sendable, Equatable {
    let size: Int
    /// Row i holds the entries (i, i) … (i, n − 1).
    private(set) var values: [Float]

    /// The upper triangle of a square matrix (which is taken to be symmetric).
    init(upperTriangleOf m: Matrix) {
        precondition(m.rows == m.columns, "a square matrix")
        size = m.rows
        var values: [Float] = []
        values.reserveCapacity(size * (size + 1) / 2)
        for i in 0..<size { values.append(contentsOf: m.values[(i * size + i)..<((i + 1) * size)]) }
        self.values = values
    }

    private init(size: Int, values: [Float]) {
        self.size = size
        self.values = values
    }

    /// Where row i's entries start, less i: entry (i, j), j ≥ i, is at `rowBase(i) + j`.
    @inline(__always) func rowBase(_ i: Int) -> Int { i * size - i * (i - 1) / 2 - i }

    subscript(i: Int, j: Int) -> Float {
        i <= j ? values[rowBase(i) + j] : values[rowBase(j) + i]
    }

    /// The matrix of the entries at `indices` × `indices` (indices ascending keep it an upper triangle).
    func selecting(_ indices: [Int]) -> SymmetricMatrix {
        var out: [Float] = []
        out.reserveCapacity(indices.count * (indices.count + 1) / 2)
        for (r, i) in indices.enumerated() {
            for j in indices[r...] { out.append(self[i, j]) }
        }
        return SymmetricMatrix(size: indices.count, values: out)
    }
}
