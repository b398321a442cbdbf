/// Counts the hashed features of one answer at a time, in working memory reused across answers.
///
/// One streaming pass per family over the normalised bytes: each n-gram's hash is rolled forward byte by
/// byte from the previous one, its bucket's count is bumped in a dense per-bucket table, and a bucket seen
/// for the first time is appended to `touched`. Nothing is allocated per n-gram, and term frequencies come
/// out without sorting (a dense table measured faster than sort + run-length: O(1) per n-gram, no
/// O(n log n) sort of ~3 ids per byte). `touched` keeps first-occurrence order, so every sum taken over
/// it is in a fixed order and results do not depend on threads. Not thread-safe: one per worker.
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
    private(set) var counts: UnsafeMutablePointer<UInt32>
    private(set) var touched: UnsafeMutablePointer<UInt32>
    private var touchedCapacity: Int
    /// Number of valid entries in `touched`.
    private(set) var touchedCount = 0
    /// `touched[familyEnds[k-1]..<familyEnds[k]]` belong to `families[k]` (the model's order).
    private(set) var segments: [(layout: FamilyLayout, range: Range<Int>)] = []

    init(model: EmbeddingModel) {
        self.model = model
        content = TextNormalizer(lowercase: model.lowercase)
        characters = model.layout(.characters)
        words = model.layout(.words)
        style = model.layout(.style)
        counts = .allocate(capacity: max(1, model.bucketCount))
        counts.initialize(repeating: 0, count: max(1, model.bucketCount))
        touchedCapacity = 1 << 14
        touched = .allocate(capacity: touchedCapacity)
    }

    deinit {
        counts.deallocate()
        touched.deallocate()
    }

    /// Counts the features of `answer`; read them from `touched[0..<touchedCount]` and `counts`, by
    /// family from `segments`, then call `reset()`.
    func count(_ answer: String) {
        reset()
        segments.removeAll(keepingCapacity: true)
        if characters != nil || words != nil { content.normalize(answer, into: &text) }
        for layout in model.families where layout.dimensions > 0 {
            let start = touchedCount
            switch layout.family {
            case .characters: countCharacters(layout)
            case .words: countWords(layout)
            case .style:
                styleView.normalize(answer, into: &styleText)
                var sink = HashingStyleSink(counter: self, layout: layout)
                styleText.withUnsafeBufferPointer { StyleTokenizer.tokens(of: $0, into: &sink) }
            }
            segments.append((layout, start..<touchedCount))
        }
    }

    /// Zeroes the counts of the touched buckets (cheaper than clearing the table).
    func reset() {
        for i in 0..<touchedCount { counts[Int(touched[i])] = 0 }
        touchedCount = 0
    }

    @inline(__always)
    func add(_ bucket: UInt32) {
        let b = Int(bucket)
        if counts[b] == 0 {
            if touchedCount == touchedCapacity { grow() }
            touched[touchedCount] = bucket
            touchedCount += 1
        }
        counts[b] &+= 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<UInt32>.allocate(capacity: touchedCapacity * 2)
        bigger.update(from: touched, count: touchedCount)
        touched.deallocate()
        touched = bigger
        touchedCapacity *= 2
    }

    /// Character n-grams, n in `minN...maxN`, over Unicode scalars (a scalar starts at every byte that is
    /// not a UTF-8 continuation byte); the hash of the (n+1)-gram continues from that of the n-gram.
    private func countCharacters(_ layout: FamilyLayout) {
        starts.removeAll(keepingCapacity: true)
        text.withUnsafeBufferPointer { bytes in
            let length = bytes.count
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
