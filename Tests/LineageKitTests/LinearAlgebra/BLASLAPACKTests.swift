import Testing
@testable import LineageKit

/// The BLAS/LAPACK wrappers against naive loops on small seeded matrices, including non-square and empty shapes.
@Suite struct BLASLAPACKTests {
    static func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)  // fixed, platform-independent: every run tests the same matrices
        return Matrix(rows: rows, columns: columns,
                      values: (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &g) })
    }

    static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                var s: Double = 0
                for k in 0..<a.columns { s += Double(a[i, k]) * Double(b[k, j]) }
                c[i, j] = Float(s)
            }
        }
        return c
    }

    static func close(_ x: Matrix, _ y: Matrix, tolerance: Float = 1e-4) -> Bool {
        x.rows == y.rows && x.columns == y.columns && zip(x.values, y.values).allSatisfy { abs($0 - $1) <= tolerance }
    }

    static let shapes: [(Int, Int, Int)] = [(3, 4, 5), (1, 7, 2), (6, 1, 3), (5, 5, 5), (0, 3, 4), (3, 0, 4), (3, 4, 0), (0, 0, 0)]

    @Test(arguments: 0..<shapes.count)
    func multiplyMatchesNaive(_ index: Int) {
        let (m, k, n) = Self.shapes[index]
        let a = Self.random(m, k, seed: 1), b = Self.random(k, n, seed: 2)
        let c = BLAS.multiply(a, b)
        #expect(c.rows == m && c.columns == n)
        #expect(Self.close(c, Self.naiveProduct(a, b)))
    }

    @Test(arguments: 0..<shapes.count)
    func multiplyTransposedMatchesNaive(_ index: Int) {
        let (m, k, n) = Self.shapes[index]
        let a = Self.random(m, k, seed: 3), b = Self.random(n, k, seed: 4)
        let c = BLAS.multiplyTransposed(a, b)
        #expect(c.rows == m && c.columns == n)
        #expect(Self.close(c, Self.naiveProduct(a, b.transposed)))
    }

    @Test(arguments: [(4, 3), (3, 7), (1, 5), (5, 1), (0, 4), (4, 0)])
    func gramMatchesNaiveAndIsSymmetric(_ rows: Int, _ columns: Int) {
        let a = Self.random(rows, columns, seed: 5)
        let g = BLAS.gram(a)
        #expect(Self.close(g, Self.naiveProduct(a, a.transposed)))
        #expect(g == g.transposed)
    }

    @Test(arguments: [(4, 3), (2, 6), (1, 1), (0, 3), (3, 0)])
    func gemvMatchesNaive(_ rows: Int, _ columns: Int) {
        let a = Self.random(rows, columns, seed: 6)
        let x = Self.random(1, columns, seed: 7).values
        let y = BLAS.multiply(a, vector: x)
        let expected = Self.naiveProduct(a, Matrix(rows: columns, columns: 1, values: x)).values
        #expect(y.count == rows)
        #expect(zip(y, expected).allSatisfy { abs($0 - $1) <= 1e-4 })
    }

    @Test(arguments: [1, 2, 5, 9])
    func symmetricEigenSatisfiesDefinition(_ n: Int) throws {
        let r = Self.random(n, n, seed: 8)
        var a = r
        for i in 0..<n { for j in 0..<n { a[i, j] = r[i, j] + r[j, i] } }
        let (values, vectors) = try LAPACK.symmetricEigen(a)
        #expect(values == values.sorted())
        for k in 0..<n {
            let v = (0..<n).map { vectors[$0, k] }
            let av = BLAS.multiply(a, vector: v)
            for i in 0..<n { #expect(abs(av[i] - values[k] * v[i]) <= 1e-4) }
            let norm = v.reduce(0) { $0 + $1 * $1 }
            #expect(abs(norm - 1) <= 1e-4)
        }
    }

    @Test func symmetricEigenOfEmptyMatrix() throws {
        let (values, vectors) = try LAPACK.symmetricEigen(Matrix(rows: 0, columns: 0))
        #expect(values.isEmpty && vectors.values.isEmpty)
    }

    @Test(arguments: [(1, 1), (3, 1), (4, 2), (6, 3)])
    func solvePositiveDefiniteRecoversSolution(_ n: Int, _ rhs: Int) throws {
        let r = Self.random(n, n, seed: 9)
        var a = BLAS.gram(r)
        for i in 0..<n { a[i, i] += Float(n) }  // well conditioned
        let x = Self.random(n, rhs, seed: 10)
        let b = Self.naiveProduct(a, x)
        let solved = try LAPACK.solvePositiveDefinite(a, b)
        #expect(Self.close(solved, x, tolerance: 1e-3))
    }

    @Test func solvePositiveDefiniteRefusesIndefinite() {
        let a = Matrix(rows: 2, columns: 2, values: [1, 2, 2, 1])
        #expect(throws: LAPACK.Failure.self) { try LAPACK.solvePositiveDefinite(a, Matrix(rows: 2, columns: 1, values: [1, 1])) }
    }

    @Test func solvePositiveDefiniteOfEmptySystem() throws {
        let solved = try LAPACK.solvePositiveDefinite(Matrix(rows: 0, columns: 0), Matrix(rows: 0, columns: 2))
        #expect(solved.rows == 0 && solved.columns == 2)
    }
}
