import Foundation

/// Turns an answer into the byte string the n-grams are read from.
///
/// Style is the signal, so what survives is chosen with care (research notes: docs/FINDINGS.md,
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
    /// spaces or line breaks). The same `Writer`, writing to a `RawOutput`.
    static func foldASCII(_ bytes: UnsafeBufferPointer<UInt8>, lowercase: Bool,
                          into output: UnsafeMutablePointer<UInt8>) -> Int? {
        (lowercase ? asciiFoldLowercase : asciiFold).withUnsafeBufferPointer { table -> Int? in
            var writer = Writer()
            var out = RawOutput(base: output)
            for byte in bytes {
                if _slowPath(byte >= 0x80) { return nil }
                writer.put(table[Int(byte)], into: &out)
            }
            return out.count
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
        mutating func put<Output: NormalizedOutput>(_ byte: UInt8, into output: inout Output) {
            if byte == 0x20 { pendingSpace = true; return }
            if byte == 0x0A { pendingNewlines += 1; pendingSpace = false; return }
            flush(into: &output)
            output.append(byte)
        }

        @inline(__always)
        mutating func flush<Output: NormalizedOutput>(into output: inout Output) {
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

/// Where `TextNormalizer.Writer` puts bytes: a growing array, or raw memory known to be large enough.
protocol NormalizedOutput {
    var isEmpty: Bool { get }
    mutating func append(_ byte: UInt8)
}

extension Array: NormalizedOutput where Element == UInt8 {}

/// `count` bytes written from `base` on (the featurizer's text buffer).
struct RawOutput: NormalizedOutput {
    let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }
}
