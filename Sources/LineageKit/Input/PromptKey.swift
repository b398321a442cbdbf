/// The key prompts are matched by: the prompt split at white space, empty pieces dropped, the pieces
/// joined with one space (`split(whereSeparator: \.isWhitespace).joined(separator: " ")`).
///
/// The definition is on `Character`s: a grapheme cluster is a separator when its first scalar has the
/// Unicode White_Space property (`Character.isWhitespace`), so a combining mark after a space goes with
/// the space, and "\r\n" is one separator. Asking that of every character looked up Unicode properties
/// per character and was a third of `lineage validate`'s time on the AlpacaEval outputs. The key is
/// now built on UTF-8 bytes:
/// - an all-ASCII prompt (96 % of AlpacaEval's) has one cluster per byte apart from "\r\n", and its
///   White_Space bytes are exactly tab, line feed, vertical tab, form feed, carriage return and space,
///   so byte-wise folding gives the same key;
/// - any other prompt is still walked by `Character`, with the property lookup only for clusters that
///   do not start with an ASCII byte.
/// `PromptKeyTests` checks both against the `Character` definition on tricky and random inputs.
enum PromptKey {
    static func fold(_ prompt: String) -> String {
        var prompt = prompt
        // `withUTF8` copies only a string that is not stored as contiguous UTF-8 (a bridged one).
        if let key = prompt.withUTF8({ bytes in isASCII(bytes) ? foldASCII(bytes) : nil }) { return key }
        return foldCharacters(prompt)
    }

    /// The White_Space bytes below 0x80: U+0009…U+000D and U+0020 (not the separators U+001C…U+001F).
    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte &- 0x09) < 5
    }

    /// True when no byte has its high bit set, eight bytes at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= bytes.count {
            high |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        var tail: UInt8 = 0
        while i < bytes.count { tail |= base[i]; i += 1 }
        return high & 0x8080_8080_8080_8080 == 0 && tail & 0x80 == 0
    }

    /// Folds an all-ASCII prompt, written straight into the key's storage. Branch-free per byte (a space
    /// and the byte are always stored, and kept by advancing the count), since words are a few bytes long
    /// and a branch on every white-space byte was mispredicted about as often as it was taken.
    static func foldASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            guard let source = bytes.baseAddress, let target = out.baseAddress else { return 0 }
            // Invariant: `count` ≤ the index of the byte being read, so both stores stay inside `out`
            // (a pending space implies an earlier white-space byte that was not copied).
            var count = 0
            var pendingSpace = 0
            for i in 0..<bytes.count {
                let byte = source[i]
                let kept = isASCIIWhitespace(byte) ? 0 : 1
                target[count] = 0x20
                count &+= pendingSpace & kept
                target[count] = byte
                count &+= kept
                // After white space a space is owed once something has been kept; after a kept byte, none.
                pendingSpace = (1 &- kept) & (count > 0 ? 1 : 0)
            }
            return count
        }
    }

    /// Folds any prompt by grapheme cluster, as the definition says, copying each kept cluster's bytes.
    static func foldCharacters(_ prompt: String) -> String {
        let utf8 = prompt.utf8
        var key: [UInt8] = []
        key.reserveCapacity(utf8.count)
        var pendingSpace = false
        var index = prompt.startIndex
        while index < prompt.endIndex {
            let next = prompt.index(after: index)
            let first = utf8[index]
            let separator = first < 0x80 ? isASCIIWhitespace(first) : prompt[index].isWhitespace
            if separator {
                pendingSpace = !key.isEmpty
            } else {
                if pendingSpace {
                    key.append(0x20)
                    pendingSpace = false
                }
                key.append(contentsOf: utf8[index..<next])
            }
            index = next
        }
        return String(decoding: key, as: UTF8.self)
    }
}
