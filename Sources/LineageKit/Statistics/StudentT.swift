import Foundation

/// The Student t distribution's upper tail, through the regularised incomplete beta function
/// (continued fraction, Lentz's method; Press et al., Numerical Recipes, 3rd ed., §6.4).
public enum StudentT {
    /// P(T ≥ t) for T ~ t with `degrees` degrees of freedom.
    public static func upperTail(_ t: Double, degrees: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 0 : 1 }
        let x = degrees / (degrees + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: degrees / 2, b: 0.5)
        return t >= 0 ? tail : 1 - tail
    }

    /// I_x(a, b).
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if Swift.abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if Swift.abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if Swift.abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if Swift.abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if Swift.abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if Swift.abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
