extension String {
    /// `unicodeScalars.count`, counted on the UTF-8 bytes without decoding them (each byte that does not
    /// continue a scalar, 10xxxxxx, starts one): the length of every answer of a run, read on each run.
    var scalarCount: Int {
        utf8.withContiguousStorageIfAvailable { bytes in
            var count = 0
            for byte in bytes { count &+= byte & 0xC0 == 0x80 ? 0 : 1 }
            return count
        } ?? unicodeScalars.count
    }
}
