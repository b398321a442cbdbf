/// One recording's embedding rows as the verdict reads them: Float32, or 16-bit grid steps.
///
/// Every embedding and every centred structure row lies on `EmbeddingGrid` (multiples of 2⁻¹⁰ within ±1.02), so
/// 16 bits hold each value exactly at half of Float32's memory: what a batch keeps of the candidates and panel it
/// compares every student against (`BatchAttribution`). Rows are read out as Float32, the same bits either way.
struct EmbeddingRows: Sendable {
    private enum Storage: Sendable {
        case float(Matrix)
        case steps([Int16])
    }

    private let storage: Storage
    let rows: Int
    let columns: Int
    /// Whether probe `p` has an answer (a non-zero row).
    let answered: [Bool]

    init(_ matrix: Matrix, answered: [Bool]) {
        storage = .float(matrix)
        rows = matrix.rows
        columns = matrix.columns
        self.answered = answered
    }

    init(_ embedded: EmbeddedRecording) { self.init(embedded.embeddings, answered: embedded.answered) }

    /// The same rows as 16-bit steps (nil if a value is off the grid: not an embedding of this tool).
    func compacted() -> EmbeddingRows? {
        guard case .float(let matrix) = storage else { return self }
        return EmbeddingGrid.steps(of: matrix.values).map { EmbeddingRows(steps: $0, rows: rows, columns: columns, answered: answered) }
    }

    private init(steps: [Int16], rows: Int, columns: Int, answered: [Bool]) {
        storage = .steps(steps)
        self.rows = rows
        self.columns = columns
        self.answered = answered
    }

    /// Columns `range` of row `row`, written to `target` as Float32.
    func write(row: Int, columns range: Range<Int>, into target: UnsafeMutablePointer<Float>) {
        let start = row * columns + range.lowerBound
        switch storage {
        case .float(let matrix):
            matrix.values.withUnsafeBufferPointer { target.update(from: $0.baseAddress.unsafelyUnwrapped + start, count: range.count) }
        case .steps(let steps):
            steps.withUnsafeBufferPointer { from in
                for k in 0..<range.count { target[k] = Float(from[start + k]) * EmbeddingGrid.unit }
            }
        }
    }

    /// All rows as a Float32 matrix (a copy for stepped rows).
    var matrix: Matrix {
        if case .float(let matrix) = storage { return matrix }
        var out = Matrix(rows: rows, columns: columns)
        out.values.withUnsafeMutableBufferPointer { target in
            guard let base = target.baseAddress else { return }
            for r in 0..<rows { write(row: r, columns: 0..<columns, into: base + r * columns) }
        }
        return out
    }

    /// `Embedder.columnsNormalized` of these rows: the given columns side by side, each row renormalised.
    func columnsNormalized(_ ranges: [Range<Int>]) -> Matrix {
        let width = ranges.reduce(0) { $0 + $1.count }
        var out = Matrix(rows: rows, columns: width)
        out.values.withUnsafeMutableBufferPointer { target in
            guard let base = target.baseAddress else { return }
            for r in 0..<rows {
                var k = 0
                for range in ranges {
                    write(row: r, columns: range, into: base + r * width + k)
                    k += range.count
                }
                Embedder.normalize(base + r * width, count: width)
            }
        }
        return out
    }
}
