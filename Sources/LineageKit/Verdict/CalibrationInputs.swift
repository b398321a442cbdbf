/// The files a calibration was fitted on (or an evaluation judged), by SHA-256: the labelled-pairs file
/// and every labelled and panel recording that went in.
///
/// A result's manifest holds the calibration file's hash, and this holds the hashes of what made that
/// file, so a stated error rate traces back to the exact recordings it was measured on. Models are named,
/// not located: the same files fitted on any machine give the same bytes.
public struct CalibrationInputs: Sendable, Codable, Equatable {
    public struct Recording: Sendable, Codable, Equatable {
        public var model: String
        public var sha256: String
    }

    /// SHA-256 of the pairs file's bytes (nil for pairs not read from a file).
    public var pairsSHA256: String?
    /// The recording of every model the pairs name, by model name.
    public var labelled: [Recording]
    /// Every panel recording kept, by model name (those left out are in `panel_excluded`).
    public var panel: [Recording]

    enum CodingKeys: String, CodingKey {
        case pairsSHA256 = "pairs_sha256", labelled, panel
    }

    init(pairsSHA256: String?, labelled: [String: AlignedRecording], panel: [AlignedRecording]) {
        self.pairsSHA256 = pairsSHA256
        self.labelled = labelled.map { Recording(model: $0.key, sha256: $0.value.sha256) }.sorted { $0.model < $1.model }
        self.panel = panel.map { Recording(model: $0.model, sha256: $0.sha256) }.sorted { ($0.model, $0.sha256) < ($1.model, $1.sha256) }
    }

    /// One line for a reader: the pairs file's hash and how many recordings are hashed, under `key`.
    public func summary(key: String) -> String {
        let pairs = pairsSHA256.map { "pairs file sha256 \($0.prefix(12))…, " } ?? ""
        return "\(pairs)\(labelled.count) labelled and \(panel.count) panel recordings (each one's SHA-256 in `\(key)`)"
    }

    /// Why this record cannot describe a calibration with this `panel` and these labelled `models`, if
    /// anything (a hand-edited file).
    func inconsistency(panel names: [String], models: Set<String>) -> String? {
        let hashes = labelled.map(\.sha256) + panel.map(\.sha256) + (pairsSHA256.map { [$0] } ?? [])
        if let bad = hashes.first(where: { !SHA256Digest.isHex($0) }) { return "fitted_on: \"\(bad)\" is not a SHA-256 in hex" }
        if Set(labelled.map(\.model)) != models || labelled.count != models.count {
            return "fitted_on: labelled recordings of \(labelled.map(\.model)), not one for each model the pairs name"
        }
        if panel.map(\.model).sorted() != names.sorted() { return "fitted_on: panel recordings of other models than the panel's" }
        return nil
    }
}
