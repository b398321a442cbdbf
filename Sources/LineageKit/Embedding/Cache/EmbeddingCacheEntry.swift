import Crypto
import Foundation

/// One cached embedding: everything reading, aligning and embedding a recording file established,
/// except the path it was read from (a hit takes the caller's path, as a cold read would).
///
/// On disk (all integers little-endian), in the manner of safetensors (a JSON header, then raw tensors):
///
///     magic "LNEMBED\0" · u32 format version · u32 header length · header (JSON, sorted keys)
///     · answered mask (one byte 0/1 per probe) · embeddings (probes × dimensions Int16 grid steps:
///       value = step · 2⁻¹⁰, exact for every embedding, `EmbeddingGrid`; half the bytes of Float32)
///     · SHA-256 of every byte before it (32 bytes)
///
/// The trailing digest makes a truncated, torn or bit-flipped file a refusal with a reason, never a
/// wrong embedding; the header repeats the cache key, so a file copied or renamed into another slot
/// is refused too. The encoding is deterministic: the same entry is always the same bytes, so two
/// processes racing to write it write the same file.
struct EmbeddingCacheEntry: Sendable {
    /// The rows, answered mask, model name, file SHA-256, family columns and embedding model identity.
    var embedded: EmbeddedRecording
    /// What the reader found, for callers that report it (the matrix does not; `ModelInput` would).
    var format: RecordingFormat
    var notes: ReadingNotes
    var summary: AlignmentSummary

    static let magic: [UInt8] = Array("LNEMBED\0".utf8)
    /// Bump whenever the layout or the header's meaning changes; older entries are then refused (the
    /// version is part of the cache key too, so they are simply not found). 2: Int16 grid steps.
    static let formatVersion: UInt32 = 2

    /// The metadata block.
    struct Header: Codable, Equatable {
        struct Columns: Codable, Equatable {
            var family: UInt32
            var start: Int
            var end: Int
        }

        var key: String
        var model: String
        var sha256: String
        var format: RecordingFormat
        var notes: ReadingNotes
        var summary: AlignmentSummary
        var modelVersion: String
        var modelSHA256: String
        var familyColumns: [Columns]
        var probes: Int
        var dimensions: Int

        enum CodingKeys: String, CodingKey {
            case key, model, sha256, format, notes, summary, probes, dimensions
            case modelVersion = "model_version", modelSHA256 = "model_sha256", familyColumns = "family_columns"
        }
    }

    /// Why bytes could not be read back as an entry (the cache recomputes and says so).
    struct Refusal: Error, Equatable, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The file bytes of this entry under `key`.
    func encoded(key: String) throws -> [UInt8] {
        let matrix = embedded.embeddings
        let header = Header(
            key: key, model: embedded.model, sha256: embedded.sha256, format: format, notes: notes, summary: summary,
            modelVersion: embedded.modelVersion, modelSHA256: embedded.modelSHA256,
            familyColumns: embedded.familyColumns.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { Header.Columns(family: $0.key.rawValue, start: $0.value.lowerBound, end: $0.value.upperBound) },
            probes: matrix.rows, dimensions: matrix.columns)
        let json = try JSONOutput.data(header)
        guard let steps = EmbeddingGrid.steps(of: matrix.values) else { throw Refusal("embedding values are not on the 2⁻¹⁰ grid") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.magic.count + 8 + json.count + matrix.rows + steps.count * 2 + 32)
        bytes += Self.magic
        Self.append(Self.formatVersion, to: &bytes)
        Self.append(UInt32(json.count), to: &bytes)
        bytes += json
        bytes += embedded.answered.map { $0 ? 1 : 0 }
        let start = bytes.count
        bytes += repeatElement(0, count: steps.count * 2)
        bytes.withUnsafeMutableBytes { raw in
            for (i, step) in steps.enumerated() {
                raw.storeBytes(of: step.littleEndian, toByteOffset: start + 2 * i, as: Int16.self)
            }
        }
        bytes += SHA256.hash(data: bytes)
        return bytes
    }

    /// Reads an entry back, checking magic, version, digest, key and shape; `source` becomes the
    /// recording's path.
    static func decode(_ bytes: [UInt8], key: String, source: String) throws(Refusal) -> EmbeddingCacheEntry {
        let fixed = magic.count + 8
        guard bytes.count >= fixed + 32 else { throw Refusal("truncated (\(bytes.count) bytes)") }
        guard bytes.starts(with: magic) else { throw Refusal("not a Lineage cache entry (bad magic)") }
        let version = u32(bytes, at: magic.count)
        guard version == formatVersion else {
            throw Refusal("cache format \(version), this build reads \(formatVersion)")
        }
        let body = bytes.count - 32
        let digest = Array(SHA256.hash(data: bytes[..<body]))
        guard digest[...] == bytes[body...] else { throw Refusal("SHA-256 mismatch (damaged or truncated)") }
        let headerLength = Int(u32(bytes, at: magic.count + 4))
        guard headerLength <= body - fixed else { throw Refusal("header longer than the file") }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[fixed..<(fixed + headerLength)])) } catch {
            throw Refusal("unreadable header: \(error)")
        }
        guard header.key == key else { throw Refusal("entry belongs to key \(header.key.prefix(16))…") }
        let probes = header.probes, dims = header.dimensions
        guard probes >= 0, dims >= 0, probes <= 1 << 24, dims <= 1 << 16,
              fixed + headerLength + probes + probes * dims * 2 == body else {
            throw Refusal("size does not match \(probes) × \(dims) embeddings")
        }
        var offset = fixed + headerLength
        var answered: [Bool] = []
        answered.reserveCapacity(probes)
        for p in 0..<probes {
            let flag = bytes[offset + p]
            guard flag <= 1 else { throw Refusal("answered mask byte \(flag) at probe \(p)") }
            answered.append(flag == 1)
        }
        offset += probes
        var values = [Float](repeating: 0, count: probes * dims)
        let start = offset
        bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                for i in out.indices {
                    let step = Int16(littleEndian: raw.loadUnaligned(fromByteOffset: start + 2 * i, as: Int16.self))
                    out[i] = Float(step) * EmbeddingGrid.unit
                }
            }
        }
        var columns: [FeatureFamily: Range<Int>] = [:]
        for block in header.familyColumns {
            guard let family = FeatureFamily(rawValue: block.family), block.start >= 0, block.start <= block.end,
                  block.end <= dims, columns[family] == nil else {
                throw Refusal("family columns out of range")
            }
            columns[family] = block.start..<block.end
        }
        let embedded = EmbeddedRecording(
            model: header.model, source: source, sha256: header.sha256,
            embeddings: Matrix(rows: probes, columns: dims, values: values), answered: answered,
            familyColumns: columns, modelVersion: header.modelVersion, modelSHA256: header.modelSHA256)
        return EmbeddingCacheEntry(embedded: embedded, format: header.format, notes: header.notes, summary: header.summary)
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    private static func u32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
