import Foundation

/// When to retry a failed request and how long to wait first.
///
/// Exponential backoff with "full jitter" — the wait before retry `n` is uniform in
/// `[0, min(cap, base · 2ⁿ)]` — spreads retries of concurrent requests apart better than plain
/// exponential backoff (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015).
/// A server's `Retry-After` (RFC 9110 §10.2.3: seconds, or an HTTP date) is honoured instead.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt; 0 disables retrying.
    public var maxRetries: Int
    /// Seconds; the upper bound of the first wait.
    public var base: Double
    /// Seconds; no computed wait exceeds it.
    public var cap: Double
    /// Seconds; a longer `Retry-After` is cut to this, so a misconfigured server cannot stall a run for hours.
    public var maximumRetryAfter: Double
    /// Seeds the jitter, so a run's waits are reproducible.
    public var seed: UInt64

    public init(maxRetries: Int = 5, base: Double = 0.5, cap: Double = 30, maximumRetryAfter: Double = 300, seed: UInt64 = 0x5EED) {
        self.maxRetries = max(0, maxRetries)
        self.base = max(0, base)
        self.cap = max(0, cap)
        self.maximumRetryAfter = max(0, maximumRetryAfter)
        self.seed = seed
    }

    /// The wait in seconds before retry number `retry` (0-based), given the server's `Retry-After`.
    public func delay(beforeRetry retry: Int, retryAfter: Double?, using generator: inout some RandomNumberGenerator) -> Double {
        if let retryAfter { return min(max(0, retryAfter), maximumRetryAfter) }
        let ceiling = min(cap, base * pow(2, Double(min(retry, 62))))
        guard ceiling > 0 else { return 0 }
        return Double.random(in: 0...ceiling, using: &generator)
    }

    /// Parses a `Retry-After` header value: delay-seconds, or an HTTP date (IMF-fixdate, RFC 850 or asctime).
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return max(0, date.timeIntervalSince(now)) }
        }
        return nil
    }
}
