import Foundation

/// The n-gram embedding model: how text becomes a unit vector. Everything it does is in its file, so a
/// result can name the model by SHA-256 and be replayed.
///
/// File format (`.lnm`, little-endian, version 1 or 2):
/// ```
/// magic "LINEAGEM" · u32 format version · u32 name length · name (UTF-8, e.g. "ngram-v1")
/// u64 projection seed · u32 flags (bit 0: lowercase char/word text) · u32 projection non-zeros per bucket
/// u32 documents the IDF was fitted on · u32 total buckets · u32 dimensions · u32 family count
/// per family: u32 id · u64 hash seed · u32 bucket offset · u32 bucket count · u32 column offset
///             u32 dimensions · f32 weight · u32 min n · u32 max n · [version 2: u32 sample shift]
/// f32 IDF × total buckets
/// ```
/// A model that samples no family is written as version 1, so adding the sample shift left the bytes, and
/// the SHA-256, of every earlier model as they were.
/// The projection matrix is not stored: it is regenerated from the seed (see `SparseProjection`).
public struct EmbeddingModel: Sendable {
    public static let magic = Array("LINEAGEM".utf8)
    /// The newest format this build reads and writes (it reads every earlier one).
    public static let formatVersion: UInt32 = 2
    /// The format `serialized()` writes: 1 unless a family samples its n-grams.
    var fileFormat: UInt32 { families.contains { $0.sampleShift != 0 } ? 2 : 1 }
    /// The resource name of the model shipped with Lineage, the default of every command.
    public static let bundledName = "ngram-v3"
    /// Every model shipped with Lineage, the default first: earlier ones stay so that a report made with
    /// them can be replayed (`--model ngram-v1`).
    public static let bundledNames = [bundledName, "ngram-v2", "ngram-v1"]

    public var name: String
    public var projectionSeed: UInt64
    public var lowercase: Bool
    public var projectionNonzeros: Int
    /// Number of answers the IDF was fitted on (0 for an unfitted model, whose IDF is all ones).
    public var documents: Int
    public var families: [FamilyLayout]
    /// One inverse document frequency per bucket: `ln((1 + N) / (1 + df)) + 1` (the smoothed IDF of
    /// scikit-learn's `TfidfTransformer`, as the research pipeline used).
    public private(set) var idf: [Float]
    /// The IDF table as one byte a bucket, `idfBase + q · idfStep`: what the embedder reads. A byte table is
    /// a quarter of the Float32 one and stays in the core's L2 cache; with Float32 the per-feature IDF
    /// lookup missed cache and took 84 % of embedding time (perf, this machine). Rounding error ≤ step/2
    /// (≈ 0.02 on an IDF of 1–11), identical on every platform since it is integer rounding of the file's values.
    public private(set) var quantizedIDF: [UInt8] = []
    public private(set) var idfBase: Float = 1
    public private(set) var idfStep: Float = 0

    /// SHA-256 of the file bytes (of `serialized()` for a model built in memory).
    public private(set) var sha256: String

    public var version: String { name }
    public var dimensions: Int { families.map { $0.columnOffset + $0.dimensions }.max() ?? 0 }
    public var bucketCount: Int { quantizedIDF.count }
    /// `Σ w` over the families with columns: each family's block is scaled to length `√(w_f / Σ w)`.
    var totalWeight: Float { families.reduce(Float(0)) { $0 + ($1.dimensions > 0 ? $1.weight : 0) } }

    /// The layout of `family`, if the model uses it (a family with no columns is off).
    public func layout(_ family: FeatureFamily) -> FamilyLayout? {
        families.first { $0.family == family && $0.dimensions > 0 }
    }

    /// The embedding columns of each family the model uses.
    public var familyColumns: [FeatureFamily: Range<Int>] {
        Dictionary(uniqueKeysWithValues: families.filter { $0.dimensions > 0 }.map { ($0.family, $0.columns) })
    }

    public init(name: String, projectionSeed: UInt64, lowercase: Bool, projectionNonzeros: Int, documents: Int,
                families: [FamilyLayout], idf: [Float]) {
        self.name = name
        self.projectionSeed = projectionSeed
        self.lowercase = lowercase
        self.projectionNonzeros = projectionNonzeros
        self.documents = documents
        self.families = families
        self.idf = idf
        self.sha256 = ""
        quantizeIDF()
        self.sha256 = SHA256Digest.hex(of: serialized())
    }

    /// The model file at `path`, or the bundled one when there is none (every command's `--model`). A
    /// bundled model's name (`ngram-v1`) stands for its file when no file of that name exists.
    public static func load(path: String?) throws(EmbeddingModelError) -> EmbeddingModel {
        guard let path else { return try bundled() }
        if namesBundledModel(path) { return try bundled(named: path) }
        return try EmbeddingModel(contentsOf: path)
    }

    /// The file `load(path:)` reads for `path`, when it can be found.
    public static func file(for path: String?) -> String? {
        guard let path else { return bundledPath() }
        return namesBundledModel(path) ? bundledPath(named: path) : path
    }

    /// Whether `--model` names a bundled model rather than a file.
    private static func namesBundledModel(_ path: String) -> Bool {
        bundledNames.contains(path) && !FileManager.default.fileExists(atPath: path)
    }

    /// A model shipped with Lineage (`Embedding/Resources/<name>.lnm`, beside this room; by default `bundledName`).
    public static func bundled(named name: String = bundledName) throws(EmbeddingModelError) -> EmbeddingModel {
        guard let path = bundledPath(named: name) else {
            throw EmbeddingModelError(path: "\(name).lnm",
                                      "the bundled model file was not found next to the executable; pass --model PATH")
        }
        return try EmbeddingModel(contentsOf: path)
    }

    /// Where the bundled file is: the SwiftPM resource bundle beside the executable, else the source tree.
    /// (Looked up by hand rather than through `Bundle.module`, whose accessor stops the process when the
    /// bundle is missing.)
    public static func bundledPath(named name: String = bundledName) -> String? {
        let file = "\(name).lnm"
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent().path
        for directory in [Bundle.main.bundlePath, executable] {
            for bundle in ["Lineage_LineageKit.resources", "Lineage_LineageKit.bundle"] {
                candidates.append("\(directory)/\(bundle)/\(file)")
                candidates.append("\(directory)/\(bundle)/Contents/Resources/\(file)")
            }
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/\(file)").path)
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Loads and checks a model file.
    public init(contentsOf path: String) throws(EmbeddingModelError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw EmbeddingModelError(path: path, "cannot read: \(error.localizedDescription)")
        }
        try self.init(data: data, path: path)
    }

    public init(data: Data, path: String = "<memory>") throws(EmbeddingModelError) {
        var reader = ByteReader(bytes: data, path: path)
        guard try reader.bytes(8) == Self.magic else {
            throw EmbeddingModelError(path: path, "not a Lineage embedding model (bad magic)")
        }
        let format = try reader.u32()
        guard (1...Self.formatVersion).contains(format) else {
            throw EmbeddingModelError(path: path, "model format \(format) is not supported (this build reads \(Self.formatVersion))")
        }
        let nameLength = Int(try reader.u32())
        guard nameLength <= 256 else { throw EmbeddingModelError(path: path, "model name too long") }
        name = String(decoding: try reader.bytes(nameLength), as: UTF8.self)
        projectionSeed = try reader.u64()
        lowercase = (try reader.u32()) & 1 == 1
        projectionNonzeros = Int(try reader.u32())
        documents = Int(try reader.u32())
        let buckets = Int(try reader.u32())
        let dims = Int(try reader.u32())
        let familyCount = Int(try reader.u32())
        guard (1...8).contains(projectionNonzeros), familyCount <= 16, buckets <= 1 << 28, dims <= 1 << 16 else {
            throw EmbeddingModelError(path: path, "implausible header (non-zeros \(projectionNonzeros), \(familyCount) families, \(buckets) buckets, \(dims) dims)")
        }
        var layouts: [FamilyLayout] = []
        for _ in 0..<familyCount {
            let id = try reader.u32()
            guard let family = FeatureFamily(rawValue: id) else {
                throw EmbeddingModelError(path: path, "unknown feature family \(id)")
            }
            let layout = FamilyLayout(family: family, seed: try reader.u64(), bucketOffset: Int(try reader.u32()),
                                      bucketCount: Int(try reader.u32()), columnOffset: Int(try reader.u32()),
                                      dimensions: Int(try reader.u32()), weight: try reader.f32(),
                                      minN: Int(try reader.u32()), maxN: Int(try reader.u32()),
                                      sampleShift: format >= 2 ? Int(try reader.u32()) : 0)
            guard FamilyLayout.isValidSampleShift(layout.sampleShift, for: family) else {
                throw EmbeddingModelError(path: path, "family \(family) has an invalid sample shift \(layout.sampleShift)")
            }
            guard layout.bucketCount > 0, layout.bucketOffset + layout.bucketCount <= buckets,
                  layout.columnOffset + layout.dimensions <= dims, layout.weight >= 0, layout.weight.isFinite,
                  layout.minN >= 1, layout.minN <= layout.maxN, layout.maxN <= 16 else {
                throw EmbeddingModelError(path: path, "family \(family) has an inconsistent layout")
            }
            layouts.append(layout)
        }
        families = layouts
        let table = try reader.f32Table(buckets)
        idf = table
        guard table.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw EmbeddingModelError(path: path, "the IDF table holds a negative or non-finite value")
        }
        guard reader.atEnd else { throw EmbeddingModelError(path: path, "trailing bytes after the IDF table") }
        sha256 = SHA256Digest.hex(of: data)
        quantizeIDF()
    }

    private mutating func quantizeIDF() {
        let low = idf.min() ?? 1
        let high = idf.max() ?? 1
        idfBase = low
        idfStep = high > low ? (high - low) / 255 : 0
        let step = idfStep
        quantizedIDF = idf.map { step > 0 ? UInt8(min(255, max(0, (($0 - low) / step).rounded()))) : 0 }
    }

    /// This model without its Float32 IDF table (4 MiB for the bundled model), for a run that only embeds:
    /// the embedder reads `quantizedIDF`, and peak memory is held against the input size (`make bench`).
    /// Such a model still names itself by its file's SHA-256, but cannot be written out again.
    public func embeddingOnly() -> EmbeddingModel {
        var copy = self
        copy.idf = []
        return copy
    }

    /// The file bytes of this model.
    public func serialized() -> Data {
        precondition(idf.count == quantizedIDF.count, "serialized() needs the IDF table that embeddingOnly() dropped")
        var out: [UInt8] = Self.magic
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        func f32(_ v: Float) { u32(v.bitPattern) }
        let format = fileFormat
        u32(format)
        let nameBytes = Array(name.utf8)
        u32(UInt32(nameBytes.count))
        out.append(contentsOf: nameBytes)
        u64(projectionSeed)
        u32(lowercase ? 1 : 0)
        u32(UInt32(projectionNonzeros))
        u32(UInt32(documents))
        u32(UInt32(idf.count))
        u32(UInt32(dimensions))
        u32(UInt32(families.count))
        for f in families {
            u32(f.family.rawValue); u64(f.seed); u32(UInt32(f.bucketOffset)); u32(UInt32(f.bucketCount))
            u32(UInt32(f.columnOffset)); u32(UInt32(f.dimensions)); f32(f.weight); u32(UInt32(f.minN)); u32(UInt32(f.maxN))
            if format >= 2 { u32(UInt32(f.sampleShift)) }
        }
        out.reserveCapacity(out.count + idf.count * 4)
        for v in idf { f32(v) }
        return Data(out)
    }

    /// The same model with a new IDF table (fitted by `IDFFitter`).
    public func withIDF(_ table: [Float], documents: Int) -> EmbeddingModel {
        EmbeddingModel(name: name, projectionSeed: projectionSeed, lowercase: lowercase,
                       projectionNonzeros: projectionNonzeros, documents: documents, families: families, idf: table)
    }
}

/// Little-endian reads with bounds checks that become model errors, straight from the file's bytes
/// (no second copy of a 4 MB model).
private struct ByteReader {
    let bytes: Data
    let path: String
    var offset = 0

    var atEnd: Bool { offset == bytes.count }

    private func truncated() -> EmbeddingModelError {
        EmbeddingModelError(path: path, "file is truncated at byte \(offset)")
    }

    mutating func bytes(_ count: Int) throws(EmbeddingModelError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw truncated() }
        defer { offset += count }
        let start = bytes.startIndex + offset
        return Array(bytes[start..<(start + count)])
    }

    mutating func u32() throws(EmbeddingModelError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw truncated() }
        defer { offset += 4 }
        return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    mutating func u64() throws(EmbeddingModelError) -> UInt64 {
        let low = UInt64(try u32())
        return low | UInt64(try u32()) << 32
    }

    mutating func f32() throws(EmbeddingModelError) -> Float { Float(bitPattern: try u32()) }

    /// `count` little-endian Float32 values.
    mutating func f32Table(_ count: Int) throws(EmbeddingModelError) -> [Float] {
        guard count >= 0, offset + 4 * count <= bytes.count else { throw truncated() }
        let start = offset
        defer { offset += 4 * count }
        return bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { table, initialized in
                for i in 0..<count {
                    table[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
                }
                initialized = count
            }
        }
    }
}
