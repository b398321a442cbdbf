/// The content normalisation of a text that is mostly ASCII with some runs of other scalars (curly
/// quotes, dashes, accented words, emoji), run by run: the same bytes as `TextNormalizer.normalize`
/// without putting the whole answer through Foundation's NFKC and `lowercased()`.
///
/// Why it is exact: NFKC and case mapping can only change a text across a boundary where a scalar
/// combines with the one before it, and every such scalar has a non-zero canonical combining class or
/// is not ASCII (UAX #15, "Stable Code Points"). An ASCII scalar never combines with what precedes it,
/// so the text splits into ASCII bytes and maximal non-ASCII runs that normalise independently — as
/// long as a run does not open with a combining mark (which could attach to the ASCII letter before
/// it): such a text is left to the whole-text path. Each distinct run is folded once and kept, so a
/// repeated run (’, —, é…) costs one table lookup. The equality with the whole-text path is tested on
/// every answer of the bundled probe set.
struct UnicodeRunFolder {
    let lowercase: Bool
    /// The featurizer's kernels: where they fold in vectors, the ASCII stretches go through the vector fold
    /// (`lineage_fold_ascii_continuing`, the same bytes).
    var kernels = FeaturizerKernels.swift
    /// Folded bytes of each run seen, found by the run's hash and checked byte for byte.
    private var index: [UInt64: (key: Range<Int>, value: Range<Int>)] = [:]
    private var keys: [UInt8] = []
    private var values: [UInt8] = []
    /// Runs kept at most (the table is emptied when full, so memory stays bounded on long non-Latin texts).
    private let capacity = 1 << 14

    init(lowercase: Bool) { self.lowercase = lowercase }

    /// Folds `bytes` (valid UTF-8) through the white-space state machine into `output`; nil when the
    /// text must take the whole-text path (a run opens with a combining mark).
    mutating func fold(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        output.removeAll(keepingCapacity: true)
        var writer = TextNormalizer.Writer()
        var i = 0
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte < 0x80 {
                guard kernels.foldsInVectors else {
                    writer.put(TextNormalizer.foldASCII(byte, lowercase: lowercase), into: &output)
                    i += 1
                    continue
                }
                let run = kernels.asciiPrefix(bytes.baseAddress! + i, count - i)
                foldASCIIRun(UnsafeBufferPointer(rebasing: bytes[i..<(i + run)]), writer: &writer, into: &output)
                i += run
                continue
            }
            var end = i
            while end < count && bytes[end] >= 0x80 { end += 1 }
            guard let folded = run(UnsafeBufferPointer(rebasing: bytes[i..<end])) else { return false }
            for k in folded { writer.put(values[k], into: &output) }
            i = end
        }
        return true
    }

    /// Folds an all-ASCII stretch with the vector kernel, carrying the writer's state in and out.
    private func foldASCIIRun(_ run: UnsafeBufferPointer<UInt8>, writer: inout TextNormalizer.Writer,
                              into output: inout [UInt8]) {
        let written = output.count
        output.append(contentsOf: repeatElement(0, count: run.count + 2))
        var pendingSpace: Int32 = writer.pendingSpace ? 1 : 0, pendingNewlines = Int32(writer.pendingNewlines)
        let kernels = self.kernels, lowercase = self.lowercase
        let length = output.withUnsafeMutableBufferPointer { out in
            kernels.foldASCIIContinuing(run, lowercase: lowercase, into: out.baseAddress!, written: written,
                                        pendingSpace: &pendingSpace, pendingNewlines: &pendingNewlines)
        }
        output.removeLast(output.count - length)
        writer.pendingSpace = pendingSpace != 0
        writer.pendingNewlines = Int(pendingNewlines)
    }

    /// The range in `values` of the folded bytes of one non-ASCII run; nil when it opens with a
    /// combining mark.
    private mutating func run(_ run: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var hasher = StableHash(seed: 0)
        hasher.add(run)
        let hash = hasher.state
        if let entry = index[hash], entry.key.count == run.count,
           keys[entry.key].elementsEqual(run) {
            return entry.value
        }
        let text = String(decoding: run, as: UTF8.self)
        guard let first = text.unicodeScalars.first, first.properties.canonicalCombiningClass == .notReordered else {
            return nil
        }
        if index.count >= capacity {
            index.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
        }
        let keyStart = keys.count, valueStart = values.count
        keys.append(contentsOf: run)
        TextNormalizer.foldUnicode(text, lowercase: lowercase) { values.append($0) }
        let entry = (key: keyStart..<keys.count, value: valueStart..<values.count)
        index[hash] = entry
        return entry.value
    }
}
