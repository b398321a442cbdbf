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

    /// The type-7 median of non-negative Floats, as a Double: the value `median` gives on the same values
    /// widened to Double, found by a radix select (a histogram of the top 16 bits, whose order is the
    /// values' order for non-negative floats, then a sort of the one or two buckets that hold the middle):
    /// two passes over the data instead of a sort's many, for the MMD's ~1.3 million distances a pair.
    static func median(nonNegative values: [Float]) -> Double {
        guard !values.isEmpty else { return .nan }
        let position = 0.5 * Double(values.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, values.count - 1)
        let fraction = position - Double(low)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for value in values { counts[Int(value.bitPattern >> 16)] += 1 }
        // The buckets of the low and the high order statistic, and how many values lie below the first.
        var below = 0, bucket = 0
        while below + counts[bucket] <= low { below += counts[bucket]; bucket += 1 }
        var last = bucket, through = below + counts[bucket]
        while through <= high { last += 1; through += counts[last] }
        var middle: [Float] = []
        middle.reserveCapacity(through - below)
        for value in values where (bucket...last).contains(Int(value.bitPattern >> 16)) { middle.append(value) }
        middle.sort()
        let lowValue = Double(middle[low - below]), highValue = Double(middle[high - below])
        return lowValue + (highValue - lowValue) * fraction
    }
}
