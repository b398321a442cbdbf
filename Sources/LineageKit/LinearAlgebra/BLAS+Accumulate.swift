import CLinearAlgebra

extension BLAS {
    /// `C += A · Aᵀ` into the upper triangle of the n×n row-major `c`, for a row-major `a` of n rows and
    /// `k` columns given by pointer (`ssyrk` with β = 1): lets a Gram matrix be summed block by block
    /// without materialising the whole left operand. Only the upper triangle of `c` is written.
    public static func accumulateGram(_ a: UnsafePointer<Float>, rows n: Int, columns k: Int, into c: inout Matrix) {
        precondition(c.rows == n && c.columns == n, "accumulateGram: C must be \(n)×\(n)")
        guard n > 0, k > 0 else { return }
        c.values.withUnsafeMutableBufferPointer { pc in
            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(k),
                        1, a, Int32(k), 1, pc.baseAddress, Int32(n))
        }
    }

    /// `C += A · Bᵀ` (`sgemm` with β = 1) for row-major `a` (m×k) and `b` (n×k) given by pointer.
    public static func accumulateProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, m: Int, n: Int, k: Int,
                                         into c: inout Matrix) {
        precondition(c.rows == m && c.columns == n, "accumulateProduct: C must be \(m)×\(n)")
        guard m > 0, n > 0, k > 0 else { return }
        c.values.withUnsafeMutableBufferPointer { pc in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                        1, a, Int32(k), b, Int32(k), 1, pc.baseAddress, Int32(n))
        }
    }
}
