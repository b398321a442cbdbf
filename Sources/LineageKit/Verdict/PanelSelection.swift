/// A panel recording a run left out, and why.
public struct PanelExclusion: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// The student or a candidate (in calibration: a labelled model), by model name or file content.
        case underTest = "under_test"
        /// The same bytes as an earlier panel file.
        case sameContent = "same_content"
        /// The same model name as an earlier panel file.
        case sameModel = "same_model"
        /// The same answers, probe for probe, as a model under test or an earlier panel file, in another file
        /// and under another name (a copy converted to another format, say).
        case sameAnswers = "same_answers"
    }

    public var model: String
    public var source: String
    public var reason: Reason
    /// The file it repeats: the student's, a candidate's or an earlier panel file's.
    public var sameAs: String

    enum CodingKeys: String, CodingKey {
        case model, source, reason, sameAs = "same_as"
    }

    /// One line for reports: "gpt4 (panel/gpt4-copy.json): the same bytes as panel/gpt4.json".
    public var explanation: String {
        let why = switch reason {
        case .underTest: "a model under test, as"
        case .sameContent: "the same bytes as"
        case .sameModel: "the same model name as"
        case .sameAnswers: "the same answers, probe for probe, as"
        }
        return "\(model) (\(source)): \(why) \(sameAs)"
    }
}

/// Which recordings of a panel a run uses.
///
/// The panel stands for unrelated models, each counted once: the student's mean cosines with them are the
/// yardstick the impostor score is measured against (its mean and spread; Koppel & Winter, "Determining if
/// two documents are written by the same author", JASIST 2014). A model counted twice would pull both
/// toward itself, and one under test would be its own impostor. So a recording is left out — and listed
/// with why — when it is a model under test (same name or same bytes as the student, a candidate or a
/// labelled model), or repeats an earlier panel file's bytes or model name, or gives the same answers as
/// either (a student copied into its own panel under another name would otherwise make every candidate
/// look unremarkable); the first, in the order the panel was given, is kept.
struct PanelSelection {
    private(set) var kept: [AlignedRecording] = []
    private(set) var excluded: [PanelExclusion] = []
    private var byName: [String: String] = [:]
    private var byContent: [String: String] = [:]
    private var byAnswers: [Int: String] = [:]
    private let underTestByName: [String: String]
    private let underTestByContent: [String: String]
    private let underTestByAnswers: [Int: String]

    init(underTest: [AlignedRecording]) {
        underTestByName = Dictionary(underTest.map { ($0.model, $0.source) }, uniquingKeysWith: { first, _ in first })
        underTestByContent = Dictionary(underTest.map { ($0.sha256, $0.source) }, uniquingKeysWith: { first, _ in first })
        underTestByAnswers = Dictionary(underTest.compactMap { r in r.answersFingerprint.map { ($0, r.source) } },
                                        uniquingKeysWith: { first, _ in first })
    }

    /// Keeps `recording` in the panel, or lists it as excluded.
    mutating func consider(_ recording: AlignedRecording) {
        func exclude(_ reason: PanelExclusion.Reason, _ sameAs: String) {
            excluded.append(PanelExclusion(model: recording.model, source: recording.source, reason: reason, sameAs: sameAs))
        }
        let answers = recording.answersFingerprint
        if let other = underTestByName[recording.model] ?? underTestByContent[recording.sha256] {
            exclude(.underTest, other)
        } else if let other = byContent[recording.sha256] {
            exclude(.sameContent, other)
        } else if let other = byName[recording.model] {
            exclude(.sameModel, other)
        } else if let answers, let other = underTestByAnswers[answers] ?? byAnswers[answers] {
            exclude(.sameAnswers, other)
        } else {
            byName[recording.model] = recording.source
            byContent[recording.sha256] = recording.source
            if let answers { byAnswers[answers] = recording.source }
            kept.append(recording)
        }
    }
}
