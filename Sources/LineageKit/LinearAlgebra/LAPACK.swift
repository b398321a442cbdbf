import CLinearAlgebra

/// The LAPACK routines the engine uses, through LAPACKE's row-major interface.
public enum LAPACK {
    /// A LAPACK routine reported failure (`info` as LAPACK documents it).
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let routine: String
        public let info: Int32
        public var description: String { "LAPACK \(routine) failed with info = \(info)" }
    }

    /// Eigenvalues (ascending) and eigenvectors (as columns of a row-major n×n matrix) of a symmetric
    /// matrix, by `ssyevd` (divide and conquer).
    public static func symmetricEigen(_ a: Matrix) throws -> (values: [Float], vectors: Matrix) {
        precondition(a.rows == a.columns, "symmetricEigen needs a square matrix")
        let n = a.rows
        var vectors = a
        var values = [Float](repeating: 0, count: n)
        guard n > 0 else { return (values, vectors) }
        let info = vectors.values.withUnsafeMutableBufferPointer { pa in
            values.withUnsafeMutableBufferPointer { pw in
                LAPACKE_ssyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                               Int32(n), pa.baseAddress, Int32(n), pw.baseAddress)
            }
        }
        guard info == 0 else { throw Failure(routine: "ssyevd", info: info) }
        return (values, vectors)
    }

    /// Solves `A x = b` for a symmetric positive definite `A` by Cholesky (`sposv`); `b` may hold
    /// several right-hand sides as columns of a row-major n×r matrix.
    public static func solvePositiveDefinite(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        precondition(a.rows == a.columns && b.rows == a.rows, "solvePositiveDefinite: shapes differ")
        var factor = a
        var solution = b
        guard a.rows > 0 else { return solution }
        let info = factor.values.withUnsafeMutableBufferPointer { pa in
            solution.values.withUnsafeMutableBufferPointer { pb in
                LAPACKE_sposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(a.rows), Int32(b.columns),
                              pa.baseAddress, Int32(a.rows), pb.baseAddress, Int32(b.columns))
            }
        }
        guard info == 0 else { throw Failure(routine: "sposv", info: info) }
        return solution
    }
}
