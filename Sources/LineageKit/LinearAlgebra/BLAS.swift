import CLinearAlgebra

/// The few BLAS calls the engine needs, wrapped once so that no other file touches pointers.
///
/// Every similarity in Lineage is a level-3 product (`sgemm` / `ssyrk`): answers are rows, so the
/// cosine of every pair of answers is one matrix product of L2-normalised rows.
public enum BLAS {
    /// `A · Bᵀ` for row-major `A` (m×k) and `B` (n×k): the m×n matrix of row dot products.
    public static func multiplyTransposed(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.columns, "inner dimensions differ: \(a.columns) vs \(b.columns)")
        var c = Matrix(rows: a.rows, columns: b.rows)
        guard a.rows > 0, b.rows > 0 else { return c }
        if a.columns == 0 { return c }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.values.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                                Int32(a.rows), Int32(b.rows), Int32(a.columns),
                                1, pa.baseAddress, Int32(a.columns),
                                pb.baseAddress, Int32(b.columns),
                                0, pc.baseAddress, Int32(b.rows))
                }
            }
        }
        return c
    }

    /// `A · B` in Double for row-major `a` (rows × inner) and `b` (inner × columns), by `dgemm`: for sums
    /// that must be exact where Float's 24 bits are too few (the bootstrap's weighted probe sums).
    static func multiply(_ a: [Double], rows: Int, inner: Int, _ b: [Double], columns: Int) -> [Double] {
        precondition(a.count == rows * inner && b.count == inner * columns, "shapes differ")
        var c = [Double](repeating: 0, count: rows * columns)
        guard rows > 0, columns > 0, inner > 0 else { return c }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(inner),
                                1, pa.baseAddress, Int32(inner), pb.baseAddress, Int32(columns),
                                0, pc.baseAddress, Int32(columns))
                }
            }
        }
        return c
    }

    /// `A · B` for row-major `A` (m×k) and `B` (k×n).
    public static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "inner dimensions differ: \(a.columns) vs \(b.rows)")
        var c = Matrix(rows: a.rows, columns: b.columns)
        guard a.rows > 0, b.columns > 0, a.columns > 0 else { return c }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.values.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                                Int32(a.rows), Int32(b.columns), Int32(a.columns),
                                1, pa.baseAddress, Int32(a.columns),
                                pb.baseAddress, Int32(b.columns),
                                0, pc.baseAddress, Int32(b.columns))
                }
            }
        }
        return c
    }

    /// The Gram matrix `A · Aᵀ` (n×n, both triangles filled) by `ssyrk`, half the work of a general product.
    public static func gram(_ a: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: a.rows)
        guard a.rows > 0, a.columns > 0 else { return c }
        a.values.withUnsafeBufferPointer { pa in
            c.values.withUnsafeMutableBufferPointer { pc in
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans,
                            Int32(a.rows), Int32(a.columns),
                            1, pa.baseAddress, Int32(a.columns),
                            0, pc.baseAddress, Int32(a.rows))
            }
        }
        let n = a.rows
        for i in 0..<n {
            for j in 0..<i { c.values[i * n + j] = c.values[j * n + i] }
        }
        return c
    }

    /// `A · x` for row-major `A` (m×k) and a vector of k values.
    public static func multiply(_ a: Matrix, vector x: [Float]) -> [Float] {
        precondition(a.columns == x.count, "vector length \(x.count) differs from \(a.columns) columns")
        var y = [Float](repeating: 0, count: a.rows)
        guard a.rows > 0, a.columns > 0 else { return y }
        a.values.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(a.rows), Int32(a.columns),
                                1, pa.baseAddress, Int32(a.columns), px.baseAddress, 1,
                                0, py.baseAddress, 1)
                }
            }
        }
        return y
    }
}
