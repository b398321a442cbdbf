import Foundation

/// Many students against the same candidates and panel: every candidate and panel file is read and
/// embedded once, the students are judged two at a time (one per core, BLAS single-threaded in each), and
/// each by the very code path of a single `attribute` run (`Attribution.assess`), so its result is the same
/// bytes as that run's (every similarity is exact on `EmbeddingGrid`, whatever thread computes it).
public enum BatchAttribution {
    /// One result per student, in the order given. `request.student` is ignored. A student that is also a
    /// candidate (by model name) is ranked among the other candidates: its result lists only those.
    /// - Parameter students: recording files; a student that is also a panel file is left out of its own
    ///   panel only, as in a single run.
    public static func run(students: [String], _ request: AttributionRequest, threads: Int? = nil,
                           progress: (@Sendable (String) -> Void)? = nil) throws -> [AttributionResult] {
        let set = request.probeSet
        @Sendable func load(_ path: String) throws -> AlignedRecording {
            try Aligner.align(path: path, format: request.inputFormat, to: set)
        }
        guard !students.isEmpty else { throw AttributionError(description: "give at least one student") }
        let cache = request.cache.map { ($0, set, request.inputFormat) }
        let (candidates, panel, shared) = try prepare(request, load: load, progress: progress)
        let results = Results(count: students.count)
        let single = Embedder(model: request.model, threads: 1)
        let workers = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        BLASThreads.singleThreaded {
            ParallelWork.run(jobs: students.count, threads: workers) { k in
                progress?("student \(k + 1)/\(students.count)")
                results.set(k, Result {
                    let student = try load(students[k])
                    let own = shared.embedded[key(student)] ?? EmbeddingRows(ScoringContext.embed(student, single, cache))
                    // A student that is itself a candidate is judged against the others, as a single run
                    // with those candidates would judge it.
                    let others = candidates.filter { $0.model != student.model }
                    return try Attribution.assess(
                        student: student, embedded: own, candidates: others, panel: panel, request: request,
                        progress: nil,
                        distribution: { shared.distributions[key($0)] ?? NgramDistribution(recording: $0, model: request.model) },
                        selfGram: { shared.selfGrams[key($0)] },
                        profile: { shared.profiles[key($0)] ?? AnswerProfile($0, probeSet: set) },
                        studentPairsOnly: true, centring: shared.centring,
                        embed: { shared.embedded[key($0)] ?? EmbeddingRows(ScoringContext.embed($0, single, cache)) }).result
                })
            }
        }
        return try results.values()
    }

    /// The candidates and panel read, embedded and prepared once for every student: embeddings, and each
    /// candidate's n-gram distribution, self-Gram matrix and answer profile. The recordings are returned
    /// without their answer texts, which nothing after this reads (most of a batch's memory otherwise).
    private static func prepare(_ request: AttributionRequest, load: @Sendable (String) throws -> AlignedRecording,
                                progress: (@Sendable (String) -> Void)?) throws
        -> (candidates: [AlignedRecording], panel: [AlignedRecording], shared: Shared) {
        let set = request.probeSet
        let cache = request.cache.map { ($0, set, request.inputFormat) }
        // Candidates and panel files embedded once (both cores), found again by source and content, and kept
        // as 16-bit steps (`EmbeddingRows`: exact, half the memory). A panel file's texts are let go as soon
        // as it is embedded: nothing after reads them (holding all 32 files' texts until every file was
        // embedded put the 68-student batch's peak at 391 MB; 373 MB without).
        let embedder = Embedder(model: request.model)
        var embedded: [String: EmbeddingRows] = [:]
        func embedOnce(_ recording: AlignedRecording) -> Matrix? {
            guard embedded[key(recording)] == nil else { return nil }
            let rows = EmbeddingRows(ScoringContext.embed(recording, embedder, cache))
            embedded[key(recording)] = rows.compacted() ?? rows
            return rows.matrix
        }
        progress?("reading and embedding \(request.candidates.count) candidate(s)")
        let candidates = try request.candidates.map(load)
        // The candidates' Float32 embeddings, for their self-Gram matrices, until those are computed.
        let firstEmbeddings = candidates.map(embedOnce)
        let candidateEmbeddings = candidates.indices.map { firstEmbeddings[$0] ?? embedded[key(candidates[$0])]!.matrix }
        let panel = try request.panel.enumerated().map { k, path in
            progress?("reading and embedding the panel: \(k + 1)/\(request.panel.count)")
            let recording = try load(path)
            _ = embedOnce(recording)
            return recording.withoutTexts()
        }
        let prepared = ParallelWork.map(jobs: candidates.count, threads: ProcessInfo.processInfo.activeProcessorCount) { k in
            (NgramDistribution(recording: candidates[k], model: request.model),
             SymmetricMatrix(upperTriangleOf: BLAS.gram(candidateEmbeddings[k])), AnswerProfile(candidates[k], probeSet: set))
        }
        var distributions: [String: NgramDistribution] = [:], selfGrams: [String: SymmetricMatrix] = [:], profiles: [String: AnswerProfile] = [:]
        for (k, candidate) in candidates.enumerated() {
            (distributions[key(candidate)], selfGrams[key(candidate)], profiles[key(candidate)]) = prepared[k]
        }
        // The structure centring on the panel a student gets when it is not itself a panel model.
        var selection = PanelSelection(underTest: candidates)
        for recording in panel { selection.consider(recording) }
        let references = candidates + selection.kept
        let centring = PanelCentring(
            families: Set(try request.calibration.features.compactMap(\.family)), model: request.model,
            recordings: references, embeddings: references.map { embedded[key($0)]! },
            pool: Array(candidates.count..<references.count))
        let shared = Shared(embedded: embedded, distributions: distributions, selfGrams: selfGrams, profiles: profiles,
                            centring: centring)
        return (candidates.map { $0.withoutTexts() }, panel, shared)
    }

    private static func key(_ recording: AlignedRecording) -> String { recording.identity }

    /// What every worker reads and none writes.
    private struct Shared: @unchecked Sendable {
        let embedded: [String: EmbeddingRows]
        let distributions: [String: NgramDistribution]
        let selfGrams: [String: SymmetricMatrix]
        let profiles: [String: AnswerProfile]
        let centring: PanelCentring
    }

    /// Each student's result, set by whichever worker judged it; the first failure in student order is thrown.
    private final class Results: @unchecked Sendable {
        private var slots: [Result<AttributionResult, Error>?]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ k: Int, _ result: Result<AttributionResult, Error>) {
            lock.lock(); defer { lock.unlock() }
            slots[k] = result
        }

        func values() throws -> [AttributionResult] {
            try slots.map { try $0!.get() }
        }
    }
}
