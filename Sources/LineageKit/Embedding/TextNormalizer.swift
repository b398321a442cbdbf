import Foundation

/// Turns an answer into the byte string the n-grams are read from.
///
/// Style is the signal, so what survives is chosen with care (research notes: scripts/research/FINDINGS.md,
/// "Method spec" step 1):
/// - **Unicode**: the text is taken as Unicode scalars and written out as UTF-8 bytes. A text that is all
///   ASCII (the common case) is processed byte by byte with no allocation. A text with any non-ASCII byte is
///   first put in NFKC (so full-width letters, ligatures and non-breaking spaces fold to their plain forms)
///   and, when the model lowercases, lowercased with Unicode case mapping; only that path allocates.
/// - **Digits**: every decimal digit (any script) becomes `0`, so "Step 3" and "Step 7" are one habit.
/// - **White space**: runs of spaces, tabs, `\r`, `\f`, `\v` and other non-newline white space fold to one
///   space; spaces next to a line break are dropped; two or more line breaks become one blank line (`\n\n`);
///   the ends are trimmed. Line breaks stay: a newline is a character the character n-grams see and a
///   token of its own for the word n-grams, so line structure (lists, paragraphs) is kept.
/// - **Case**: kept unless the model asks to lowercase (the v1 model lowercases the character and word
///   families, as measured best; style tokens always see case).
/// - Punctuation and markdown are kept verbatim.
public struct TextNormalizer: Sendable {
    public var lowercase: Bool

    public init(lowercase: Bool) { self.lowercase = lowercase }

    /// The normalised text as a `String` (for tests and inspection; the engine uses `normalize(_:into:)`).
    public func normalized(_ text: String) -> String {
        var buffer: [UInt8] = []
        normalize(text, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Writes the normalised UTF-8 bytes of `text` into `output` (cleared first, capacity kept).
    public func normalize(_ text: String, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        var writer = Writer()
        var text = text
        let ascii: Bool? = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return false }
            output.reserveCapacity(bytes.count)
            for byte in bytes { writer.put(Self.foldASCII(byte, lowercase: lowercase), into: &output) }
            return true
        }
        guard ascii == false else { return }
        Self.foldUnicode(text, lowercase: lowercase) { byte in writer.put(byte, into: &output) }
    }

    /// The Unicode path: NFKC, lowercasing on request, then one scalar at a time — ASCII folded as
    /// `foldASCII`, decimal digits to `0`, white space to a space (U+2028/U+2029 to a line break), every
    /// other scalar as its UTF-8 bytes. `emit` receives the bytes before the white-space state machine.
    static func foldUnicode(_ text: String, lowercase: Bool, _ emit: (UInt8) -> Void) {
        var unicode = text.precomposedStringWithCompatibilityMapping
        if lowercase { unicode = unicode.lowercased() }
        for scalar in unicode.unicodeScalars {
            if scalar.isASCII {
                emit(foldASCII(UInt8(scalar.value), lowercase: false))
            } else if scalar.properties.numericType == .decimal {
                emit(UInt8(ascii: "0"))
            } else if scalar.properties.isWhitespace {
                emit(scalar.value == 0x2028 || scalar.value == 0x2029 ? 0x0A : 0x20)
            } else {
                for unit in UTF8.encode(scalar) ?? UTF8.EncodedScalar() { emit(unit) }
            }
        }
    }

    /// The ASCII path of `normalize(_:into:)` written straight into raw memory, for the featurizer's hot
    /// loop (no `Array` appends): folds `bytes` into `output` and returns the length, or `nil` as soon as a
    /// byte is not ASCII (the caller then takes the Unicode path). `output` must hold `bytes.count` bytes:
    /// the result is never longer than the input (each written separator stands for at least as many
    /// spaces or line breaks). Same white-space state machine as `Writer`.
    static func foldASCII(_ bytes: UnsafeBufferPointer<UInt8>, lowercase: Bool,
                          into output: UnsafeMutablePointer<UInt8>) -> Int? {
        (lowercase ? asciiFoldLowercase : asciiFold).withUnsafeBufferPointer { table -> Int? in
            var n = 0
            // 0: nothing held back; 1 or 2: that many line breaks; 3: a space.
            var pending = 0
            for byte in bytes {
                let folded = table[Int(byte)]
                if folded == 0x20 {
                    if pending == 0 { pending = 3 }
                    continue
                }
                if folded == 0x0A {
                    pending = pending == 1 || pending == 2 ? 2 : 1
                    continue
                }
                if _slowPath(byte >= 0x80) { return nil }
                // A visible byte (or another control character, kept as it is): the held-back separator first.
                if pending != 0 {
                    if n > 0 {
                        output[n] = pending == 3 ? 0x20 : 0x0A; n += 1
                        if pending == 2 { output[n] = 0x0A; n += 1 }
                    }
                    pending = 0
                }
                output[n] = folded; n += 1
            }
            return n
        }
    }

    /// `foldASCII(_:lowercase:)` as 256-entry tables (bytes ≥ 0x80 map to themselves: the fold stops there).
    static let asciiFold: [UInt8] = (0..<256).map { $0 >= 0x80 ? UInt8($0) : foldASCII(UInt8($0), lowercase: false) }
    static let asciiFoldLowercase: [UInt8] = (0..<256).map { $0 >= 0x80 ? UInt8($0) : foldASCII(UInt8($0), lowercase: true) }

    /// Maps one ASCII byte: digits to `0`, horizontal white space to a space, letters lowered on request.
    @inline(__always)
    static func foldASCII(_ byte: UInt8, lowercase: Bool) -> UInt8 {
        switch byte {
        case 0x30...0x39: return 0x30
        case 0x09, 0x0B, 0x0C, 0x0D, 0x20: return 0x20
        case 0x41...0x5A where lowercase: return byte | 0x20
        default: return byte
        }
    }

    /// The white-space state machine: a space or line breaks are held back until a visible character
    /// follows, which trims both ends and drops spaces next to line breaks.
    struct Writer {
        var pendingSpace = false
        var pendingNewlines = 0

        @inline(__always)
        mutating func put(_ byte: UInt8, into output: inout [UInt8]) {
            if byte == 0x20 { pendingSpace = true; return }
            if byte == 0x0A { pendingNewlines += 1; pendingSpace = false; return }
            flush(into: &output)
            output.append(byte)
        }

        @inline(__always)
        mutating func flush(into output: inout [UInt8]) {
            if !output.isEmpty {
                if pendingNewlines > 0 {
                    output.append(0x0A)
                    if pendingNewlines > 1 { output.append(0x0A) }
                } else if pendingSpace {
                    output.append(0x20)
                }
            }
            pendingSpace = false
            pendingNewlines = 0
        }
    }
}
