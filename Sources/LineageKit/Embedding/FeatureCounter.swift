/// Counts the hashed features of one answer at a time, in working memory reused across answers.
///
/// One streaming pass per family over the normalised bytes: each n-gram's hash is rolled forward byte by
/// byte from the previous one and its bucket id is appended to a reusable id buffer (sequential writes, no
/// allocation per n-gram). Term frequencies then come from a small open-addressing table sized to the
/// answer (it stays in L1/L2), scanned in slot order — a fixed order that depends only on the answer, so
/// every sum taken over it is the same for any thread count. (Measured against a dense per-bucket count
/// table: the dense table's random accesses over megabytes missed cache on every n-gram.)
/// Not thread-safe: one per worker.
final class FeatureCounter {
    let model: EmbeddingModel
    private let content: TextNormalizer
    private let styleView = TextNormalizer(lowercase: false)
    private let characters: FamilyLayout?
    private let words: FamilyLayout?
    private let style: FamilyLayout?

    /// The normalised text of the current answer: `text[0..<textCount]`, all ASCII when `textIsASCII`.
    /// Raw memory reused across answers: the hot loops read it without `Array` bounds or uniqueness checks.
    private var text: UnsafeMutablePointer<UInt8>
    private var textCapacity: Int
    private var textCount = 0
    private var textIsASCII = true
    /// Scratch for the non-ASCII path (NFKC can lengthen a text, so it goes through an `Array` first).
    private var unicodeText: [UInt8] = []
    private var styleText: [UInt8] = []
    /// Byte offsets of the scalars of a non-ASCII text, and its length at the end.
    private var starts: UnsafeMutablePointer<Int32>
    private var startsCapacity: Int
    /// Bucket ids in emission order; `ids[0..<idCount]` are valid.
    private(set) var ids: UnsafeMutablePointer<UInt32>
    private var idCapacity: Int
    private(set) var idCount = 0
    /// Open-addressing slots (id << 32 | count), all `UInt64.max` between answers; `occupied` has a bit a slot.
    private var table: UnsafeMutablePointer<UInt64>
    private var occupied: UnsafeMutablePointer<UInt64>
    private var tableCapacity: Int
    /// `touched[range]` / `frequencies[range]` belong to `layout`, in the model's family order.
    private(set) var segments: [(layout: FamilyLayout, range: Range<Int>)] = []

    init(model: EmbeddingModel) {
        self.model = model
        content = TextNormalizer(lowercase: model.lowercase)
        characters = model.layout(.characters)
        words = model.layout(.words)
        style = model.layout(.style)
        textCapacity = 1 << 14
        text = .allocate(capacity: textCapacity)
        startsCapacity = 1 << 14
        starts = .allocate(capacity: startsCapacity)
        idCapacity = 1 << 15
        ids = .allocate(capacity: idCapacity)
        tableCapacity = 1 << 16
        table = .allocate(capacity: tableCapacity)
        table.initialize(repeating: .max, count: tableCapacity)
        occupied = .allocate(capacity: tableCapacity / 64 + 1)
        occupied.initialize(repeating: 0, count: tableCapacity / 64 + 1)
        distinctCapacity = 1 << 15
        touched = .allocate(capacity: distinctCapacity)
        frequencies = .allocate(capacity: distinctCapacity)
    }

    deinit {
        text.deallocate()
        starts.deallocate()
        ids.deallocate()
        table.deallocate()
        occupied.deallocate()
        touched.deallocate()
        frequencies.deallocate()
        weights.deallocate()
        dense?.deallocate()
    }

    /// Counts the features of `answer`: afterwards, for each family in `segments`, `touched[range]` holds
    /// its distinct buckets and `frequencies[range]` their term frequencies.
    func count(_ answer: String) {
        clearDense()
        distinctCount = 0
        segments.removeAll(keepingCapacity: true)
        if characters != nil || words != nil { normalizeContent(answer) }
        for layout in model.families where layout.dimensions > 0 {
            idCount = 0
            switch layout.family {
            case .characters:
                reserve(textCount * (layout.maxN - layout.minN + 1))
                idCount = textIsASCII ? countASCIICharacters(layout) : countCharacters(layout)
            case .words:
                reserve(textCount * (min(layout.maxN, 4) - layout.minN + 1))
                idCount = countWords(layout)
            case .style:
                styleView.normalize(answer, into: &styleText)
                var sink = HashingStyleSink(counter: self, layout: layout)
                styleText.withUnsafeBufferPointer { StyleTokenizer.tokens(of: $0, into: &sink) }
            }
            let start = distinctCount
            deduplicate()
            segments.append((layout, start..<distinctCount))
        }
        if let dense { for k in 0..<distinctCount { dense[Int(touched[k])] = frequencies[k] } }
    }

    /// Puts the content view of `answer` in `text`: an all-ASCII answer is folded straight from its UTF-8
    /// bytes into `text` in one pass; any other goes through `TextNormalizer.normalize` (NFKC, lowercasing).
    private func normalizeContent(_ answer: String) {
        var answer = answer
        let length = answer.utf8.count
        if length > textCapacity { growText(length) }
        let buffer = text, lowercase = content.lowercase
        let folded: Int? = answer.withUTF8 { TextNormalizer.foldASCII($0, lowercase: lowercase, into: buffer) }
        if let folded {
            textCount = folded
            textIsASCII = true
            return
        }
        content.normalize(answer, into: &unicodeText)
        if unicodeText.count > textCapacity { growText(unicodeText.count) }
        var ascii = true
        let target = text
        unicodeText.withUnsafeBufferPointer { bytes in
            for k in 0..<bytes.count {
                let byte = bytes[k]
                target[k] = byte
                if byte >= 0x80 { ascii = false }
            }
        }
        textCount = unicodeText.count
        textIsASCII = ascii
    }

    private func growText(_ length: Int) {
        var capacity = textCapacity
        while capacity < length { capacity *= 2 }
        text.deallocate()
        text = .allocate(capacity: capacity)
        textCapacity = capacity
    }

    /// Distinct buckets of the last answer (see `segments`).
    private(set) var touched: UnsafeMutablePointer<UInt32>
    /// Term frequency of `touched[k]`.
    private(set) var frequencies: UnsafeMutablePointer<UInt32>
    private var distinctCapacity: Int
    private(set) var distinctCount = 0
    private var dense: UnsafeMutablePointer<UInt32>? = nil
    private var weights: UnsafeMutablePointer<Float> = .allocate(capacity: 1 << 15)
    private var weightCapacity = 1 << 15

    /// Scratch for the embedder: room for `count` feature weights, reused across answers.
    func weightBuffer(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > weightCapacity {
            var capacity = weightCapacity
            while capacity < count { capacity *= 2 }
            weights.deallocate()
            weights = .allocate(capacity: capacity)
            weightCapacity = capacity
        }
        return weights
    }

    /// Dense per-bucket term frequencies of the last answer, for callers that look buckets up by id.
    /// Allocated on first use only (the embedder never needs it: a table over all buckets misses cache).
    var counts: UnsafeMutablePointer<UInt32> {
        if let dense { return dense }
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, model.bucketCount))
        table.initialize(repeating: 0, count: max(1, model.bucketCount))
        for k in 0..<distinctCount { table[Int(touched[k])] = frequencies[k] }
        dense = table
        return table
    }

    /// Clears the dense counts (kept for callers of `counts`; `count(_:)` also clears them).
    func reset() { clearDense() }

    private func clearDense() {
        guard let dense else { return }
        for k in 0..<distinctCount { dense[Int(touched[k])] = 0 }
    }

    /// Term frequencies of `ids[0..<idCount]` through a small open-addressing table sized to the answer,
    /// appended to `touched` / `frequencies` in slot order.
    ///
    /// The table's storage is kept all-empty between answers, and a bitmap marks the slots in use, so an
    /// answer costs its own features rather than the table size: no fill before, and the slot-order read
    /// visits only used slots (next set bit by trailing-zero count) and empties them again as it goes.
    private func deduplicate() {
        let count = idCount
        guard count > 0 else { return }
        var shift = 4
        while (1 << shift) < 2 * count { shift += 1 }
        let size = 1 << shift
        let empty = UInt64.max
        if size > tableCapacity {
            table.deallocate()
            occupied.deallocate()
            tableCapacity = size
            table = .allocate(capacity: size)
            table.initialize(repeating: empty, count: size)
            occupied = .allocate(capacity: size / 64 + 1)
            occupied.initialize(repeating: 0, count: size / 64 + 1)
        }
        let slots = table, used = occupied
        let ids = self.ids
        let mask = size - 1
        let down = UInt32(32 - shift)
        var distinct = 0
        for k in 0..<count {
            let id = ids[k]
            var slot = Int((id &* 0x9E37_79B1) >> down)
            while true {
                let entry = slots[slot]
                if entry == empty {
                    slots[slot] = UInt64(id) << 32 | 1
                    used[slot &>> 6] |= 1 &<< UInt64(slot & 63)
                    distinct &+= 1
                    break
                }
                if UInt32(truncatingIfNeeded: entry >> 32) == id { slots[slot] = entry &+ 1; break }
                slot = (slot &+ 1) & mask
            }
        }
        if distinctCount + distinct > distinctCapacity {
            var capacity = distinctCapacity
            while capacity < distinctCount + distinct { capacity *= 2 }
            let t = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
            let f = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
            t.update(from: touched, count: distinctCount)
            f.update(from: frequencies, count: distinctCount)
            touched.deallocate(); frequencies.deallocate()
            touched = t; frequencies = f
            distinctCapacity = capacity
        }
        let touched = self.touched, frequencies = self.frequencies
        var out = distinctCount
        for word in 0..<((size + 63) / 64) {
            var bits = used[word]
            used[word] = 0
            while bits != 0 {
                let slot = word &* 64 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                let entry = slots[slot]
                slots[slot] = empty
                touched[out] = UInt32(truncatingIfNeeded: entry >> 32)
                frequencies[out] = UInt32(truncatingIfNeeded: entry)
                out &+= 1
            }
        }
        distinctCount = out
    }

    private func reserve(_ extra: Int) {
        guard idCount + extra > idCapacity else { return }
        var capacity = idCapacity
        while capacity < idCount + extra { capacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        bigger.update(from: ids, count: idCount)
        ids.deallocate()
        ids = bigger
        idCapacity = capacity
    }

    @inline(__always)
    func add(_ bucket: UInt32) {
        if idCount == idCapacity { reserve(idCapacity) }
        ids[idCount] = bucket
        idCount += 1
    }

    /// Character n-grams of an all-ASCII text (one byte a character), n in `minN...maxN`: the hash of the
    /// (n+1)-gram continues from that of the n-gram, so each start position costs `maxN` FNV steps.
    /// Emits in the order of `countCharacters` (start position, then n), into `ids` (reserved by the caller);
    /// returns the new id count. Locals only in the loop: no class-property access (exclusivity checks).
    private func countASCIICharacters(_ layout: FamilyLayout) -> Int {
        let bytes = text, length = textCount
        let out = ids
        var c = idCount
        let minN = layout.minN, maxN = layout.maxN
        guard length >= minN else { return c }
        let basis = StableHash(seed: layout.seed).state
        let prime = StableHash.prime
        let scale = UInt64(layout.bucketCount), offset = UInt32(truncatingIfNeeded: layout.bucketOffset)
        @inline(__always) func bucket(_ h: UInt64) -> UInt32 {
            UInt32(truncatingIfNeeded: ((StableHash.mix(h) >> 32) &* scale) >> 32) &+ offset
        }
        // Start positions with every n available.
        let full = length - maxN
        var i = 0
        while i <= full {
            var h = basis
            var n = 0
            while n < minN { h = (h ^ UInt64(bytes[i + n])) &* prime; n += 1 }
            out[c] = bucket(h); c += 1
            while n < maxN {
                h = (h ^ UInt64(bytes[i + n])) &* prime; n += 1
                out[c] = bucket(h); c += 1
            }
            i += 1
        }
        // The last few, where the text ends before maxN.
        while i <= length - minN {
            var h = basis
            for n in 1...min(maxN, length - i) {
                h = (h ^ UInt64(bytes[i + n - 1])) &* prime
                if n >= minN { out[c] = bucket(h); c += 1 }
            }
            i += 1
        }
        return c
    }

    /// Character n-grams, n in `minN...maxN`, over Unicode scalars (a scalar starts at every byte that is
    /// not a UTF-8 continuation byte); the hash of the (n+1)-gram continues from that of the n-gram.
    private func countCharacters(_ layout: FamilyLayout) -> Int {
        let bytes = text, length = textCount
        var c = idCount
        guard length >= layout.minN else { return c }
        if length + 1 > startsCapacity {
            var capacity = startsCapacity
            while capacity < length + 1 { capacity *= 2 }
            starts.deallocate()
            starts = .allocate(capacity: capacity)
            startsCapacity = capacity
        }
        let start = starts
        var scalars = 0
        for i in 0..<length where bytes[i] & 0xC0 != 0x80 { start[scalars] = Int32(i); scalars += 1 }
        start[scalars] = Int32(length)
        guard scalars >= layout.minN else { return c }
        let out = ids
        let basis = StableHash(seed: layout.seed).state
        let prime = StableHash.prime
        let minN = layout.minN, maxN = layout.maxN
        for i in 0...(scalars - minN) {
            var h = basis
            var position = Int(start[i])
            for n in 1...maxN {
                guard i + n <= scalars else { break }
                let end = Int(start[i + n])
                while position < end { h = (h ^ UInt64(bytes[position])) &* prime; position += 1 }
                if n >= minN { out[c] = layout.bucket(StableHash.mix(h)); c += 1 }
            }
        }
        return c
    }

    /// Word n-grams, n in `minN...maxN`: a word is a run of letters, digits and `_` (ASCII lowered), every
    /// other visible scalar is a one-scalar token, a line break is a token; n-grams chain the token hashes.
    private func countWords(_ layout: FamilyLayout) -> Int {
        var recent: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var seen = 0
        let maxN = min(layout.maxN, 4), minN = layout.minN
        let bytes = UnsafeBufferPointer(start: text, count: textCount)
        let out = ids
        var c = idCount
        let length = bytes.count
        let basis = StableHash(seed: layout.seed).state
        let prime = StableHash.prime
        var i = 0
        while i < length {
            let byte = bytes[i]
            if byte == 0x20 { i += 1; continue }
            var h = basis
            if Self.isWordByte(byte) || (byte >= 0x80 && Self.isWordScalar(bytes, at: i)) {
                while i < length {
                    let b = bytes[i]
                    if b < 0x80 {
                        guard Self.isWordByte(b) else { break }
                        h = (h ^ UInt64(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)) &* prime
                        i += 1
                    } else {
                        guard Self.isWordScalar(bytes, at: i) else { break }
                        let width = Self.scalarWidth(b)
                        for k in i..<min(length, i + width) { h = (h ^ UInt64(bytes[k])) &* prime }
                        i += width
                    }
                }
            } else {
                let width = byte < 0x80 ? 1 : Self.scalarWidth(byte)
                for k in i..<min(length, i + width) { h = (h ^ UInt64(bytes[k])) &* prime }
                i += width
            }
            let token = StableHash.mix(h)
            recent = (token, recent.0, recent.1, recent.2)
            seen += 1
            if minN <= 1 { out[c] = layout.bucket(token); c += 1 }
            if maxN >= 2 && seen >= 2 {
                var gram = StableHash.combine(recent.1, token)
                if minN <= 2 { out[c] = layout.bucket(gram); c += 1 }
                if maxN >= 3 && seen >= 3 {
                    gram = StableHash.combine(recent.2, gram)
                    if minN <= 3 { out[c] = layout.bucket(gram); c += 1 }
                    if maxN >= 4 && seen >= 4 { out[c] = layout.bucket(StableHash.combine(recent.3, gram)); c += 1 }
                }
            }
        }
        return c
    }

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    @inline(__always)
    static func scalarWidth(_ lead: UInt8) -> Int {
        lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    }

    /// Whether the scalar starting at `i` is a letter or a number (Unicode properties).
    static func isWordScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard let scalar = decodeScalar(bytes, at: i) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Unicode.Scalar? {
        let lead = bytes[i]
        let width = scalarWidth(lead)
        guard i + width <= bytes.count else { return nil }
        var value: UInt32
        switch width {
        case 1: value = UInt32(lead)
        case 2: value = UInt32(lead & 0x1F)
        case 3: value = UInt32(lead & 0x0F)
        default: value = UInt32(lead & 0x07)
        }
        for k in 1..<max(1, width) { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return Unicode.Scalar(value)
    }
}

/// Feeds style tokens into a `FeatureCounter` as hashed buckets.
struct HashingStyleSink: StyleSink {
    let counter: FeatureCounter
    let layout: FamilyLayout

    mutating func token(_ tag: StaticString, _ bytes: UnsafeBufferPointer<UInt8>, lowercased: Bool) {
        var h = StableHash(seed: layout.seed)
        h.add(UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount))
        if lowercased {
            for b in bytes { h.add(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        } else {
            h.add(bytes)
        }
        counter.add(layout.bucket(h.value))
    }
}
