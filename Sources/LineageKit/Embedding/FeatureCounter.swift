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

    private var text: [UInt8] = []
    private var styleText: [UInt8] = []
    private var starts: [Int32] = []
    /// Bucket ids in emission order; `ids[0..<idCount]` are valid.
    private(set) var ids: UnsafeMutablePointer<UInt32>
    private var idCapacity: Int
    private(set) var idCount = 0
    private var table: UnsafeMutablePointer<UInt64>
    private var tableCapacity: Int
    /// `touched[range]` / `frequencies[range]` belong to `layout`, in the model's family order.
    private(set) var segments: [(layout: FamilyLayout, range: Range<Int>)] = []

    init(model: EmbeddingModel) {
        self.model = model
        content = TextNormalizer(lowercase: model.lowercase)
        characters = model.layout(.characters)
        words = model.layout(.words)
        style = model.layout(.style)
        idCapacity = 1 << 15
        ids = .allocate(capacity: idCapacity)
        tableCapacity = 1 << 16
        table = .allocate(capacity: tableCapacity)
        distinctCapacity = 1 << 15
        touched = .allocate(capacity: distinctCapacity)
        frequencies = .allocate(capacity: distinctCapacity)
    }

    deinit {
        ids.deallocate()
        table.deallocate()
        touched.deallocate()
        frequencies.deallocate()
        dense?.deallocate()
    }

    /// Counts the features of `answer`: afterwards, for each family in `segments`, `touched[range]` holds
    /// its distinct buckets and `frequencies[range]` their term frequencies.
    func count(_ answer: String) {
        clearDense()
        distinctCount = 0
        segments.removeAll(keepingCapacity: true)
        if characters != nil || words != nil { content.normalize(answer, into: &text) }
        for layout in model.families where layout.dimensions > 0 {
            idCount = 0
            switch layout.family {
            case .characters:
                reserve(text.count * (layout.maxN - layout.minN + 1))
                countCharacters(layout)
            case .words:
                reserve(text.count * (min(layout.maxN, 4) - layout.minN + 1))
                countWords(layout)
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

    /// Distinct buckets of the last answer (see `segments`).
    private(set) var touched: UnsafeMutablePointer<UInt32>
    /// Term frequency of `touched[k]`.
    private(set) var frequencies: UnsafeMutablePointer<UInt32>
    private var distinctCapacity: Int
    private(set) var distinctCount = 0
    private var dense: UnsafeMutablePointer<UInt32>? = nil

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
    private func deduplicate() {
        guard idCount > 0 else { return }
        var shift = 4
        while (1 << shift) < 2 * idCount { shift += 1 }
        let size = 1 << shift
        if size > tableCapacity {
            table.deallocate()
            tableCapacity = size
            table = .allocate(capacity: size)
        }
        let empty = UInt64.max
        let slots = table
        slots.update(repeating: empty, count: size)
        let mask = size - 1
        let down = UInt32(32 - shift)
        var distinct = 0
        for k in 0..<idCount {
            let id = ids[k]
            var slot = Int((id &* 0x9E37_79B1) >> down)
            while true {
                let entry = slots[slot]
                if entry == empty { slots[slot] = UInt64(id) << 32 | 1; distinct += 1; break }
                if UInt32(truncatingIfNeeded: entry >> 32) == id { slots[slot] = entry &+ 1; break }
                slot = (slot + 1) & mask
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
        var out = distinctCount
        for slot in 0..<size {
            let entry = slots[slot]
            if entry != empty {
                touched[out] = UInt32(truncatingIfNeeded: entry >> 32)
                frequencies[out] = UInt32(truncatingIfNeeded: entry)
                out += 1
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

    /// Character n-grams, n in `minN...maxN`, over Unicode scalars (a scalar starts at every byte that is
    /// not a UTF-8 continuation byte); the hash of the (n+1)-gram continues from that of the n-gram.
    private func countCharacters(_ layout: FamilyLayout) {
        text.withUnsafeBufferPointer { bytes in
            let length = bytes.count
            guard length >= layout.minN else { return }
            if !bytes.contains(where: { $0 >= 0x80 }) {
                // ASCII: one byte a character.
                for i in 0...(length - layout.minN) {
                    var h = StableHash(seed: layout.seed)
                    for n in 1...min(layout.maxN, length - i) {
                        h.add(bytes[i + n - 1])
                        if n >= layout.minN { add(layout.bucket(h.value)) }
                    }
                }
                return
            }
            starts.removeAll(keepingCapacity: true)
            for i in 0..<length where bytes[i] & 0xC0 != 0x80 { starts.append(Int32(i)) }
            starts.append(Int32(length))
            let scalars = starts.count - 1
            guard scalars >= layout.minN else { return }
            starts.withUnsafeBufferPointer { start in
                for i in 0...(scalars - layout.minN) {
                    var h = StableHash(seed: layout.seed)
                    var position = Int(start[i])
                    for n in 1...layout.maxN {
                        guard i + n <= scalars else { break }
                        let end = Int(start[i + n])
                        while position < end { h.add(bytes[position]); position += 1 }
                        if n >= layout.minN { add(layout.bucket(h.value)) }
                    }
                }
            }
        }
    }

    /// Word n-grams, n in `minN...maxN`: a word is a run of letters, digits and `_` (ASCII lowered), every
    /// other visible scalar is a one-scalar token, a line break is a token; n-grams chain the token hashes.
    private func countWords(_ layout: FamilyLayout) {
        var recent: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var seen = 0
        let maxN = min(layout.maxN, 4)
        text.withUnsafeBufferPointer { bytes in
            let length = bytes.count
            var i = 0
            while i < length {
                let byte = bytes[i]
                if byte == 0x20 { i += 1; continue }
                var h = StableHash(seed: layout.seed)
                if Self.isWordByte(byte) || (byte >= 0x80 && Self.isWordScalar(bytes, at: i)) {
                    while i < length {
                        let b = bytes[i]
                        if b < 0x80 {
                            guard Self.isWordByte(b) else { break }
                            h.add(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                            i += 1
                        } else {
                            guard Self.isWordScalar(bytes, at: i) else { break }
                            let width = Self.scalarWidth(b)
                            for k in i..<min(length, i + width) { h.add(bytes[k]) }
                            i += width
                        }
                    }
                } else {
                    let width = byte < 0x80 ? 1 : Self.scalarWidth(byte)
                    for k in i..<min(length, i + width) { h.add(bytes[k]) }
                    i += width
                }
                let token = h.value
                recent = (token, recent.0, recent.1, recent.2)
                seen += 1
                if layout.minN <= 1 { add(layout.bucket(token)) }
                if maxN >= 2 && seen >= 2 {
                    var gram = StableHash.combine(recent.1, token)
                    if layout.minN <= 2 { add(layout.bucket(gram)) }
                    if maxN >= 3 && seen >= 3 {
                        gram = StableHash.combine(recent.2, gram)
                        if layout.minN <= 3 { add(layout.bucket(gram)) }
                        if maxN >= 4 && seen >= 4 { add(layout.bucket(StableHash.combine(recent.3, gram))) }
                    }
                }
            }
        }
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
