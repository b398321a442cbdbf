import CFeatureKernels
import CLinearAlgebra

/// Counts the hashed features of one answer at a time, in working memory reused across answers.
///
/// One streaming pass per family over the normalised bytes: each n-gram's hash is rolled forward byte by
/// byte from the previous one (`StableHash`) and its bucket id appended to a reusable buffer of
/// `idBatch` ids, counted whenever it fills (working memory does not grow with the answer: one 28 MB
/// answer used to need 340 MB of ids). Ids are counted in place in a per-worker table of one byte a
/// bucket (`tallyIDs`), and a bucket's first occurrence is appended to `touched` without a branch (the
/// old count is 0). Distinct buckets are thus listed in order of first occurrence — an order that
/// depends only on the answer, so every sum taken over it is the same for any thread count. Reading
/// them back (`drain`) resets only their cells.
///
/// The cell table holds two bytes a bucket, the count and the bucket's IDF code side by side (2 MiB for
/// the bundled model's 2 × 2¹⁹ buckets): the drain then finds the IDF in the line the count is in, which
/// counting has just brought in, instead of a second random miss (featurize 92 → 95 MB/s per core). The
/// ids are known before counting, so each cell is prefetched a few ids ahead. Random increments into it
/// cost less than the per-answer open-addressing table they replace, whose probe loop and separate IDF
/// gather stalled (perf; `make bench` figures in the closing note of issue 3). A count that reaches 255
/// goes on in `overflow`.
///
/// On a CPU with AVX-512 (`VectorKernels`) the ASCII fold, the n-gram hashes of ASCII text and the
/// projection columns come from vector kernels that give the same bytes as the Swift loops beside them.
/// Not thread-safe: one per worker.
final class FeatureCounter {
    let model: EmbeddingModel
    private let content: TextNormalizer
    private let styleView = TextNormalizer(lowercase: false)
    private let characters: FamilyLayout?
    private let words: FamilyLayout?
    /// The buckets of the current answer's style tokens, per structure family of the model.
    private let structure: StructureBuckets
    /// Which kernels stand in for the Swift loops (`FeaturizerKernels`; the same bytes on every path).
    let kernels: FeaturizerKernels
    /// Whether they are the AVX-512 ones.
    let vectorKernels: Bool

    /// Zero bytes kept after the end of `text`: a guard for loops that read one byte ahead, and the 8 bytes
    /// the word kernel may load from a token's last byte on.
    private static let padding = 8

    /// The normalised text of the current answer: `text[0..<textCount]`, all ASCII when `textIsASCII`,
    /// followed by `padding` zero bytes.
    private var text: UnsafeMutablePointer<UInt8>
    private var textCapacity: Int
    private var textCount = 0
    private var textIsASCII = true
    /// Scratch for the non-ASCII path (NFKC can lengthen a text, so it goes through an `Array` first).
    private var unicodeText: [UInt8] = []
    private var runs: UnicodeRunFolder
    private var styleText: [UInt8] = []
    /// The style view's fold of non-ASCII answers (the content's `runs`, with case kept).
    private var styleRuns: UnicodeRunFolder
    /// Two bytes a bucket: its term count (`cells[2b]`, zero between answers) and its IDF code
    /// (`cells[2b + 1]`, the model's `quantizedIDF`), so that draining a bucket reads one cache line, the
    /// one counting it just touched, instead of a second random line of a separate 1 MiB IDF table.
    private let cells: UnsafeMutablePointer<UInt8>
    /// Counts beyond 254 (a cell saturates at 255 and the rest is counted here).
    private var overflow: [UInt32: UInt32] = [:]

    /// Distinct buckets of the last answer in order of first occurrence, per family (see `segments`).
    private(set) var touched: UnsafeMutablePointer<UInt32>
    /// Term frequency of `touched[k]`.
    private(set) var frequencies: UnsafeMutablePointer<UInt32>
    /// `column | signBit` of `touched[k]` under a one-non-zero projection (`projectedColumns`).
    private var projected: UnsafeMutablePointer<UInt32>
    private var touchedCapacity: Int
    private(set) var distinctCount = 0
    /// Bucket ids of one family's n-grams in text order, before counting (see `tallyIDs`): at most
    /// `idBatch` plus one text position's or token's worth, after which the generator counts them.
    private let ids: UnsafeMutablePointer<UInt32>
    /// How many ids are collected before they are counted: enough for the prefetch to run ahead, few
    /// enough to stay in L2 beside the cells (128 KiB).
    static let idBatch = 1 << 15
    /// `touched[range]` belongs to `layout`, in the model's family order.
    private(set) var segments: [(layout: FamilyLayout, range: Range<Int>)] = []

    init(model: EmbeddingModel, kernels: FeaturizerKernels = VectorKernels.path) {
        self.model = model
        self.kernels = kernels
        vectorKernels = kernels == .avx512
        content = TextNormalizer(lowercase: model.lowercase)
        runs = UnicodeRunFolder(lowercase: model.lowercase)
        runs.kernels = kernels
        styleRuns = UnicodeRunFolder(lowercase: false)
        styleRuns.kernels = kernels
        characters = model.layout(.characters)
        words = model.layout(.words)
        structure = StructureBuckets(layouts: model.families.filter { $0.dimensions > 0 && $0.family.isStructure })
        textCapacity = 1 << 14
        text = .allocate(capacity: textCapacity + Self.padding)
        let buckets = max(1, model.bucketCount)
        cells = .allocate(capacity: 2 * buckets)
        cells.initialize(repeating: 0, count: 2 * buckets)
        for (b, code) in model.quantizedIDF.enumerated() { cells[2 * b + 1] = code }
        touchedCapacity = 1 << 15
        touched = .allocate(capacity: touchedCapacity)
        frequencies = .allocate(capacity: touchedCapacity)
        projected = .allocate(capacity: touchedCapacity)
        // A batch is counted once it holds `idBatch` ids, before the next step adds its own: one text
        // position's character n-grams (maxN − minN + 1) or one token's word n-grams (at most 4).
        let perStep = model.families.reduce(4) { max($0, $1.maxN - $1.minN + 1) }
        ids = .allocate(capacity: Self.idBatch + perStep)
    }

    deinit {
        text.deallocate()
        cells.deallocate()
        touched.deallocate()
        frequencies.deallocate()
        projected.deallocate()
        ids.deallocate()
    }

    /// Counts the features of `answer`: afterwards, for each family in `segments`, `touched[range]` holds
    /// its distinct buckets and `frequencies[range]` their term frequencies.
    /// - Parameter family: count that family alone (the n-gram distribution needs only the words); its
    ///   counts are the same as in a full count.
    func count(_ answer: String, only family: FeatureFamily? = nil) {
        tally(answer, only: family)
        collect()
    }

    /// Counts the features of `answer` and leaves the counts in the cells: the caller reads them with
    /// `drain` (the embedder's one pass), or `collect` does. Left-over counts of an answer that was not
    /// drained are cleared first.
    func tally(_ answer: String, only family: FeatureFamily? = nil) {
        if cellsHoldCounts { collect() }
        distinctCount = 0
        segments.removeAll(keepingCapacity: true)
        structureTokenized = false
        styleLength = nil
        let needsContent = family.map { !$0.isStructure } ?? (characters != nil || words != nil)
        let needsStructure = family.map(\.isStructure) ?? !structure.families.isEmpty
        if needsContent && needsStructure, let length = foldStyleASCII(answer) {
            // An ASCII answer is folded once: its content view is its style view lowercased.
            styleLength = length
            contentFromStyle(length)
        } else if needsContent {
            normalizeContent(answer)
        }
        for layout in model.families where layout.dimensions > 0 && (family == nil || layout.family == family) {
            let start = distinctCount
            switch layout.family {
            case .characters:
                tallyIDs(textIsASCII ? countASCIICharacters(layout) : countCharacters(layout))
            case .words:
                tallyIDs(countWords(layout))
            default:
                if !structureTokenized { tokenizeStructure(answer) }
                let list = structure.list(of: layout.family)
                if let buckets = list.baseAddress { tally(buckets, list.count) }
            }
            segments.append((layout, start..<distinctCount))
        }
        cellsHoldCounts = true
    }

    /// Whether `structure` holds the current answer's tokens: one tokenizer pass feeds every structure family.
    private var structureTokenized = false
    /// The length of the current answer's style view when `tally` folded it already (an ASCII answer).
    private var styleLength: Int?

    private func tokenizeStructure(_ answer: String) {
        structure.removeAll()
        let length = styleLength ?? normalizeStyle(answer)
        var sink = structure
        let vector = vectorKernels
        styleText.withUnsafeBufferPointer {
            StyleTokenizer.tokens(of: UnsafeBufferPointer(rebasing: $0[0..<length]), into: &sink, vectorKernels: vector)
        }
        structureTokenized = true
    }

    /// Writes the style view of `answer` (`TextNormalizer(lowercase: false)`) into `styleText[0..<length]`
    /// and returns the length: an ASCII answer through the vector fold (the same bytes), others through
    /// the normaliser.
    private func normalizeStyle(_ answer: String) -> Int {
        if kernels.foldsInVectors, let folded = foldStyleASCII(answer) { return folded }
        var answer = answer
        let folded = answer.withUTF8 { styleRuns.fold($0, into: &styleText) }
        if !folded { styleView.normalize(answer, into: &styleText) }
        return styleText.count
    }

    /// The style view of an all-ASCII `answer` in `styleText[0..<length]` (the vector fold, or
    /// `TextNormalizer.foldASCII`: the same bytes), or nil, with `styleText` undefined, for any other answer.
    private func foldStyleASCII(_ answer: String) -> Int? {
        var answer = answer
        let count = answer.utf8.count
        if styleText.count < count { styleText.append(contentsOf: repeatElement(0, count: count - styleText.count)) }
        let kernels = self.kernels
        return answer.withUTF8 { bytes in
            styleText.withUnsafeMutableBufferPointer { out -> Int? in
                guard let output = out.baseAddress else { return bytes.isEmpty ? 0 : nil }
                guard kernels.foldsInVectors else { return TextNormalizer.foldASCII(bytes, lowercase: false, into: output) }
                return kernels.foldASCII(bytes, lowercase: false, into: output)
            }
        }
    }

    /// Sets the content view from the style view in `styleText[0..<length]` of an ASCII answer. The fold maps
    /// each byte on its own and lowercasing keeps white space where it is, so folding the lowercased answer
    /// and lowercasing the folded one give the same bytes (`TextNormalizer.foldASCII`).
    private func contentFromStyle(_ length: Int) {
        if length > textCapacity { growText(length) }
        let text = self.text, lowercase = content.lowercase
        styleText.withUnsafeBufferPointer { style in
            guard let source = style.baseAddress else { return }
            if lowercase {
                for k in 0..<length {
                    let b = source[k]
                    text[k] = b &- 0x41 < 26 ? b | 0x20 : b
                }
            } else {
                text.update(from: source, count: length)
            }
        }
        textCount = length
        textIsASCII = true
        (text + length).initialize(repeating: 0, count: Self.padding)
    }

    /// Whether the cells hold the counts of the last answer (set by `tally`, cleared by `drain`/`collect`).
    private var cellsHoldCounts = false

    /// Calls `body(bucket, term frequency, IDF code)` for each distinct bucket in `touched[range]` (a
    /// segment of the last answer), in order, emptying its cell. After the last segment, `endDrain()`.
    @inline(__always)
    func drain(_ range: Range<Int>, _ body: (UInt32, UInt32, UInt8) -> Void) {
        let cells = self.cells, touched = self.touched
        let prefetchEnd = range.upperBound - Self.lookahead
        for k in range {
            if k < prefetchEnd { lineage_prefetch_for_write(cells + 2 * Int(touched[k + Self.lookahead])) }
            let cell = cells + 2 * Int(touched[k])
            let count = UInt32(cell[0])
            body(touched[k], _slowPath(count == 0xff) ? 0xff + (overflow[touched[k]] ?? 0) : count, cell[1])
            cell[0] = 0
        }
    }

    /// `column | signBit` of each bucket in `touched[range]` under `projection`, which has one non-zero a
    /// bucket: what `SparseProjection.forEachEntry` gives, computed for the whole segment at once by the
    /// kernel (the Swift path calls `forEachEntry` per bucket instead). Valid until the next answer.
    func projectedColumns(_ range: Range<Int>, _ projection: SparseProjection, dims: Int) -> UnsafePointer<UInt32> {
        precondition(kernels != .swift && projection.nonzeros == 1 && range.upperBound <= distinctCount)
        let out = projected + range.lowerBound
        if vectorKernels {
            lineage_project_columns(touched + range.lowerBound, range.count, projection.seed, UInt32(dims), out)
        } else if kernels.avx2 {
            lineage_project_columns_avx2(touched + range.lowerBound, range.count, projection.seed, UInt32(dims), out)
        } else {
            lineage_project_columns_portable(touched + range.lowerBound, range.count, projection.seed, UInt32(dims), out)
        }
        return UnsafePointer(out)
    }

    /// `drain` with the weighting and one-non-zero projection of `Embedder.embedOne` done in C
    /// (`lineage_drain_projected`, the same rounding): adds each bucket's signed weight `weight(tf, code)` to
    /// `block` at the column `columns[k]` (`projectedColumns`). A saturated count (255 and on) is weighted here.
    func drainProjected(_ range: Range<Int>, columns: UnsafePointer<UInt32>, sublinear: UnsafePointer<Float>,
                        idfBase: Float, idfStep: Float, into block: UnsafeMutablePointer<Float>,
                        weight: (UInt32, UInt8) -> Float) {
        var k = range.lowerBound
        while k < range.upperBound {
            k += lineage_drain_projected(touched + k, range.upperBound - k, cells, columns + (k - range.lowerBound),
                                         sublinear, idfBase, idfStep, block)
            guard k < range.upperBound else { break }
            let bucket = touched[k], entry = columns[k - range.lowerBound], cell = cells + 2 * Int(bucket)
            block[Int(entry & 0x7fff_ffff)] += SparseProjection.signed(weight(0xff + (overflow[bucket] ?? 0), cell[1]),
                                                                       entry & 0x8000_0000)
            cell[0] = 0
            k += 1
        }
    }

    /// How many ids ahead a cell is prefetched.
    static let lookahead = 24

    /// Marks the last answer's counts as read (every segment drained).
    func endDrain() {
        if !overflow.isEmpty { overflow.removeAll(keepingCapacity: true) }
        cellsHoldCounts = false
    }

    /// Reads the counts of the touched buckets into `frequencies`.
    private func collect() {
        let frequencies = self.frequencies
        var k = 0
        drain(0..<distinctCount) { _, count, _ in
            frequencies[k] = count
            k += 1
        }
        endDrain()
    }

    /// Counts one occurrence of `bucket`; returns the new distinct count. The cell's low byte is the count,
    /// so a first occurrence (count 0) advances `distinct` without a branch.
    @inline(__always)
    private func hit(_ bucket: UInt32, distinct: Int,
                     cells: UnsafeMutablePointer<UInt8>, touched: UnsafeMutablePointer<UInt32>) -> Int {
        let count = cells[2 * Int(bucket)]
        if _slowPath(count == 0xff) {
            countBeyondCell(bucket)
        } else {
            cells[2 * Int(bucket)] = count &+ 1
        }
        touched[distinct] = bucket
        return distinct &+ (count == 0 ? 1 : 0)
    }

    @inline(never)
    private func countBeyondCell(_ bucket: UInt32) { overflow[bucket, default: 0] += 1 }

    /// Counts the batch `ids[0..<count]` (see `tally(_:_:)`).
    private func tallyIDs(_ count: Int) { tally(ids, count) }

    /// Counts `ids[0..<count]` into the cells in order, prefetching the cell of the id `lookahead` places
    /// ahead: the ids are all known before counting starts, so the random cell accesses overlap instead
    /// of stalling one after another (perf: without it most of the counting time waited on cell loads).
    private func tally(_ ids: UnsafePointer<UInt32>, _ count: Int) {
        reserveTouched(count)
        let cells = self.cells, touched = self.touched
        var distinct = distinctCount
        if vectorKernels {
            // The same loop in C; a saturated cell goes on in `overflow` here.
            var k = 0
            while k < count {
                k += lineage_tally(ids + k, count - k, cells, touched, &distinct)
                if k < count { countBeyondCell(ids[k]); k += 1 }
            }
            distinctCount = distinct
            return
        }
        let lookahead = Self.lookahead
        var k = 0
        while k < count - lookahead {
            lineage_prefetch_for_write(cells + 2 * Int(ids[k + lookahead]))
            distinct = hit(ids[k], distinct: distinct, cells: cells, touched: touched)
            k += 1
        }
        while k < count {
            distinct = hit(ids[k], distinct: distinct, cells: cells, touched: touched)
            k += 1
        }
        distinctCount = distinct
    }

    /// Makes room in `touched` for `extra` more occurrences after `distinctCount`.
    private func reserveTouched(_ extra: Int) {
        guard distinctCount + extra + 1 > touchedCapacity else { return }
        var capacity = touchedCapacity
        while capacity < distinctCount + extra + 1 { capacity *= 2 }
        let t = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        t.update(from: touched, count: distinctCount)
        touched.deallocate()
        touched = t
        frequencies.deallocate()
        frequencies = .allocate(capacity: capacity)
        projected.deallocate()
        projected = .allocate(capacity: capacity)
        touchedCapacity = capacity
    }

    /// Puts the content view of `answer` in `text`: an all-ASCII answer is folded straight from its UTF-8
    /// bytes into `text` in one pass; any other goes through `TextNormalizer.normalize` (NFKC, lowercasing).
    private func normalizeContent(_ answer: String) {
        var answer = answer
        let length = answer.utf8.count
        if length > textCapacity { growText(length) }
        let buffer = text, lowercase = content.lowercase, kernels = self.kernels
        let folded: Int? = answer.withUTF8 { bytes in
            guard kernels.foldsInVectors else { return TextNormalizer.foldASCII(bytes, lowercase: lowercase, into: buffer) }
            return kernels.foldASCII(bytes, lowercase: lowercase, into: buffer)
        }
        if let folded {
            textCount = folded
            textIsASCII = true
        } else {
            let folded = answer.withUTF8 { runs.fold($0, into: &unicodeText) }
            if !folded { content.normalize(answer, into: &unicodeText) }
            if unicodeText.count > textCapacity { growText(unicodeText.count) }
            unicodeText.withUnsafeBufferPointer { bytes in
                if let base = bytes.baseAddress { text.update(from: base, count: bytes.count) }
            }
            textCount = unicodeText.count
            textIsASCII = !unicodeText.contains { $0 >= 0x80 }
        }
        (text + textCount).initialize(repeating: 0, count: Self.padding)
    }

    /// Makes `text` hold at least `length` bytes (and `padding` more), doubling its capacity; the old
    /// contents are not kept.
    private func growText(_ length: Int) {
        var grown = textCapacity
        while grown < length { grown *= 2 }
        text.deallocate()
        text = .allocate(capacity: grown + Self.padding)
        textCapacity = grown
    }

    /// Character n-grams of an all-ASCII text (one byte a character), n in `minN...maxN`: the hash of the
    /// (n+1)-gram continues from that of the n-gram, so each start position costs `maxN` FNV steps.
    /// Emits in the order of `countCharacters` (start position, then n) into `ids`, counting each full batch
    /// of positions as it goes; returns the ids left to count. Locals only in the inner loop: no
    /// class-property access (exclusivity checks).
    private func countASCIICharacters(_ layout: FamilyLayout) -> Int {
        let bytes = text, length = textCount
        let out = ids
        var c = 0
        let minN = layout.minN, maxN = layout.maxN
        guard length >= minN else { return c }
        let basis = StableHash(seed: layout.seed).state
        let prime = StableHash.prime
        let bucketOf = BucketMap(layout)
        @inline(__always) func emit(_ h: UInt64) { bucketOf.emit(StableHash.mix(h), into: out, count: &c) }
        let kernel = usesCharacterKernel(layout, bucketOf)
        // Start positions with every n available, a batch of positions at a time (no check per position).
        let full = length - maxN, batch = Self.idBatch, positionsPerBatch = batch / (maxN - minN + 1)
        var i = 0
        while i <= full {
            if c > 0 { tallyIDs(c); c = 0 }
            let end = min(full, i + positionsPerBatch - 1)
            if kernel {
                var written = 0
                i += characterKernel(bytes + i, end - i + 1, basis, UInt32(bucketOf.shift),
                                                 bucketOf.offset, bucketOf.sampleMask, out + c, &written)
                c += written
            }
            while i <= end {
                var h = basis
                var n = 0
                while n < minN { h = (h ^ UInt64(bytes[i + n])) &* prime; n += 1 }
                emit(h)
                while n < maxN {
                    h = (h ^ UInt64(bytes[i + n])) &* prime; n += 1
                    emit(h)
                }
                i += 1
            }
        }
        // The last few, where the text ends before maxN.
        while i <= length - minN {
            if _slowPath(c >= batch) { tallyIDs(c); c = 0 }
            var h = basis
            for n in 1...min(maxN, length - i) {
                h = (h ^ UInt64(bytes[i + n - 1])) &* prime
                if n >= minN { emit(h) }
            }
            i += 1
        }
        return c
    }

    /// Whether the character kernel stands in for the loops: v1's 3–5-grams on 2ᵏ buckets.
    private func usesCharacterKernel(_ layout: FamilyLayout, _ map: BucketMap) -> Bool {
        kernels != .swift && layout.minN == 3 && layout.maxN == 5 && map.shift != 0
    }

    /// The character kernel of this path: AVX-512 (whole groups of 8 positions), AVX2 or plain C (every position).
    private var characterKernel: @convention(c) (UnsafePointer<UInt8>?, Int, UInt64, UInt32, UInt32, UInt64,
                                                 UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<Int>?) -> Int {
        vectorKernels ? lineage_char_ngram_ids_3to5 : kernels.avx2 ? lineage_char_ngram_ids_3to5_avx2
            : lineage_char_ngram_ids_3to5_portable
    }

    /// Character n-grams, n in `minN...maxN`, over Unicode scalars (a scalar starts at every byte that is
    /// not a UTF-8 continuation byte); the hash of the (n+1)-gram continues from that of the n-gram.
    /// Emits in the order of `countASCIICharacters` (start scalar, then n); ids are counted in batches.
    /// Where `maxN` ASCII bytes or more follow a start, each is a scalar, so the ASCII vector kernel does
    /// those starts (most of a mostly-English answer with a few curly quotes or accents).
    private func countCharacters(_ layout: FamilyLayout) -> Int {
        let bytes = text, length = textCount
        let out = ids
        var c = 0
        let basis = StableHash(seed: layout.seed).state
        let prime = StableHash.prime
        let minN = layout.minN, maxN = layout.maxN, batch = Self.idBatch
        let bucket = BucketMap(layout)
        let kernel = usesCharacterKernel(layout, bucket)
        var start = 0
        var asciiEnd = 0 // where the ASCII run holding `start` ends (valid while start < asciiEnd)
        while start < length {
            if _slowPath(c >= batch) { tallyIDs(c); c = 0 }
            if kernel && bytes[start] < 0x80 {
                if start >= asciiEnd { asciiEnd = start + kernels.asciiPrefix(bytes + start, length - start) }
                // Starts whose whole 5-gram is ASCII, as many as fit in this batch of ids.
                var positions = asciiEnd - maxN + 1 - start
                if positions >= 8 {
                    if c + 3 * 8 > batch { tallyIDs(c); c = 0 }
                    positions = min(positions, (batch - c) / 3)
                    var written = 0
                    start += characterKernel(bytes + start, positions, basis, UInt32(bucket.shift),
                                                         bucket.offset, bucket.sampleMask, out + c, &written)
                    c += written
                    continue
                }
            }
            var h = basis
            var position = start, n = 0
            while n < maxN && position < length {
                // One scalar: its lead byte and its continuation bytes.
                h = (h ^ UInt64(bytes[position])) &* prime
                position += 1
                while position < length && bytes[position] & 0xC0 == 0x80 {
                    h = (h ^ UInt64(bytes[position])) &* prime
                    position += 1
                }
                n += 1
                if n >= minN { bucket.emit(StableHash.mix(h), into: out, count: &c) }
            }
            // Fewer than minN scalars from here on: no later start has an n-gram either.
            guard n >= minN else { break }
            start += 1
            while start < length && bytes[start] & 0xC0 == 0x80 { start += 1 }
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
        var c = 0
        let length = bytes.count
        let basis = StableHash(seed: layout.seed).state
        let prime = StableHash.prime
        let bucket = BucketMap(layout)
        let batch = Self.idBatch
        let kernel = kernels != .swift && content.lowercase && minN == 1 && maxN == 2 && bucket.shift != 0
        let vector = vectorKernels
        var i = 0
        while i < length {
            if kernel, let end = wordKernelEnd(from: i), end > i {
                // The kernel takes tokens 8 at a time up to `end`; it stops at a full batch, counted here.
                var position = i, previous = recent.0, hasPrevious: Int32 = seen > 0 ? 1 : 0
                while true {
                    c += vector
                        ? lineage_word_ids_1to2(text, end, &position, basis, UInt32(bucket.shift), bucket.offset,
                                                bucket.sampleMask, &previous, &hasPrevious, out + c, batch - c, 1)
                        : lineage_word_ids_1to2_portable(text, end, &position, basis, UInt32(bucket.shift), bucket.offset,
                                                         bucket.sampleMask, &previous, &hasPrevious, out + c, batch - c)
                    if position >= end { break }
                    tallyIDs(c)
                    c = 0
                }
                recent = (previous, 0, 0, 0)
                seen = Int(hasPrevious)
                i = end
                continue
            }
            let byte = bytes[i]
            if byte == 0x20 { i += 1; continue }
            if _slowPath(c >= batch) { tallyIDs(c); c = 0 }
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
            @inline(__always) func emit(_ hash: UInt64) { bucket.emit(hash, into: out, count: &c) }
            if minN <= 1 { emit(token) }
            if maxN >= 2 && seen >= 2 {
                var gram = StableHash.combine(recent.1, token)
                if minN <= 2 { emit(gram) }
                if maxN >= 3 && seen >= 3 {
                    gram = StableHash.combine(recent.2, gram)
                    if minN <= 3 { emit(gram) }
                    if maxN >= 4 && seen >= 4 { emit(StableHash.combine(recent.3, gram)) }
                }
            }
        }
        return c
    }

    /// Where the word kernel may stop when it starts at `start` in `text`: the end of the ASCII bytes from
    /// there on (the whole text when the fold found it all ASCII), moved back to the end of a token that is
    /// finished (a word running into a non-ASCII letter is not); nil when the byte at `start` is not ASCII.
    private func wordKernelEnd(from start: Int) -> Int? {
        if textIsASCII { return textCount }
        guard text[start] < 0x80 else { return nil }
        var end = start + kernels.asciiPrefix(text + start, textCount - start)
        if end < textCount {
            while end > start && Self.isWordByte(text[end - 1]) { end -= 1 }
        }
        return end
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
        let value = Int(scalar.value)
        if value < 0x10000 { return wordScalarsBMP[value >> 6] & (1 << UInt64(value & 63)) != 0 }
        return isWordScalar(scalar)
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// `isWordScalar` for every scalar of the Basic Multilingual Plane, one bit each (8 KiB, built once):
    /// the property lookups cost more than the rest of featurizing a non-Latin answer.
    static let wordScalarsBMP: [UInt64] = (0..<1024).map { word in
        var bits: UInt64 = 0
        for bit in 0..<64 {
            if let scalar = Unicode.Scalar(UInt32(word * 64 + bit)), isWordScalar(scalar) { bits |= 1 << UInt64(bit) }
        }
        return bits
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
