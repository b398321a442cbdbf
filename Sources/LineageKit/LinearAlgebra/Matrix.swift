/// A dense row-major Float32 matrix: the one shape in which embeddings and similarities travel.
///
/// Row-major because every embedding is a row (one answer) and BLAS reads it contiguously;
/// Float32 because similarity needs no more precision than the n-gram model carries.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// `rows * columns` values, row after row.
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                     "Matrix \(rows)×\(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: value, count: rows * columns))
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// A copy of one row.
    public func row(_ index: Int) -> [Float] {
        Array(values[(index * columns)..<((index + 1) * columns)])
    }

    /// The square submatrix of the given rows and the same columns (a Gram matrix restricted to a subset).
    func selecting(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, columns: indices.count)
        for (r, i) in indices.enumerated() {
            for (c, j) in indices.enumerated() { out.values[r * indices.count + c] = values[i * columns + j] }
        }
        return out
    }

    /// The rows at `indices`, in that order, as a new matrix.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var out = [Float](repeating: 0, count: indices.count * columns)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for (k, index) in indices.enumerated() {
                    let from = source.baseAddress! + index * columns
                    (target.baseAddress! + k * columns).update(from: from, count: columns)
                }
            }
        }
        return Matrix(rows: indices.count, columns: columns, values: out)
    }

    public var transposed: Matrix {
        var out = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns { out.values[c * rows + r] = values[r * columns + c] }
        }
        return out
    }
}
