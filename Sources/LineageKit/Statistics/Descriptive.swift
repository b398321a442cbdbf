/// Small descriptive statistics, in Double, over per-probe values.
public enum Descriptive {
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// Sample standard deviation (n − 1).
    public static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// Linear-interpolation quantile (type 7, the R and NumPy default) of sorted values.
    public static func quantile(sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        let fraction = position - Double(low)
        return sorted[low] + (sorted[high] - sorted[low]) * fraction
    }

    /// The type-7 median, by selection rather than a full sort (Hoare 1961's FIND; the MMD's bandwidth takes
    /// the median of ~1.3 million distances per pair): the same value as `quantile(sorted:_:)` at 0.5.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        var v = values
        let position = 0.5 * Double(v.count - 1)
        let low = Int(position.rounded(.down))
        let fraction = position - Double(low)
        let lowValue = select(&v, low)
        guard low + 1 < v.count else { return lowValue }
        // After selection every value right of `low` is at least the low one; the next order statistic is their minimum.
        var highValue = v[low + 1]
        for k in (low + 1)..<v.count where v[k] < highValue { highValue = v[k] }
        return lowValue + (highValue - lowValue) * fraction
    }

    /// Puts the k-th smallest value at index k, smaller ones left of it and others right (quickselect with
    /// a median-of-three pivot, deterministic), and returns it.
    static func select(_ v: inout [Double], _ k: Int) -> Double {
        var left = 0, right = v.count - 1
        while left < right {
            let mid = left + (right - left) / 2
            if v[mid] < v[left] { v.swapAt(mid, left) }
            if v[right] < v[left] { v.swapAt(right, left) }
            if v[right] < v[mid] { v.swapAt(right, mid) }
            let pivot = v[mid]
            var i = left, j = right
            while i <= j {
                while v[i] < pivot { i += 1 }
                while pivot < v[j] { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { right = j } else if k >= i { left = i } else { break }
        }
        return v[k]
    }
}
