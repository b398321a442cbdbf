/// Where a run of plain JSON string text ends: the first quote or backslash (and, on request, control
/// byte) at or after `start`, or the end of `bytes`.
///
/// Eight bytes at a time (SWAR: "determine if a word has a byte equal to n", Anderson, Bit Twiddling
/// Hacks), since most of a recording is the text of its strings and must be scanned at memory speed even
/// in a debug build. A borrow can only flag bytes above a true hit, so the lowest flagged byte is the
/// first special one, found without rescanning the word byte by byte.
enum StringScan {
    @inline(__always)
    static func firstSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, controls: Bool) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var i = start
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
            var hit = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
            if controls { hit |= (word &- ones &* 0x20) & ~word }
            let found = hit & highs
            if found != 0 { return i + found.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < bytes.count {
            let byte = base[i]
            if byte == 0x22 || byte == 0x5C || (controls && byte < 0x20) { return i }
            i += 1
        }
        return i
    }
}
