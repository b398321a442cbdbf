import Foundation

/// A calibration file re-fitted from the files it names, with the settings it records, and compared byte
/// for byte (`lineage calibrate --reproduce`): the error rates a report states, shown to come out of
/// those labelled pairs and recordings, as `lineage verify` shows it for a result folder.
///
/// Where it does not reproduce, it says which inputs differ from the SHA-256 the file recorded
/// (`fitted_on`) and which of the file's fields come out otherwise.
public struct CalibrationReproduction: Sendable, Encodable, Equatable {
    public var calibration: String
    public var sha256: String
    public var refitSHA256: String
    public var reproduced: Bool
    /// Inputs whose SHA-256 is not the one the file recorded, or that it did not record (empty when the
    /// file predates `fitted_on`: then only the bytes can be compared).
    public var inputDifferences: [String]
    /// The file's top-level fields that the re-fit gives otherwise, by name.
    public var differingFields: [String]
    /// Whether the file records its inputs (`fitted_on`, since version 0.3.1).
    public var inputsRecorded: Bool
    public var pairsFile: String?
    public var labelledRecordings: Int
    public var panelRecordings: Int

    enum CodingKeys: String, CodingKey {
        case calibration, sha256, refitSHA256 = "refit_sha256", reproduced, inputDifferences = "input_differences"
        case differingFields = "differing_fields", inputsRecorded = "inputs_recorded", pairsFile = "pairs_file"
        case labelledRecordings = "labelled_recordings", panelRecordings = "panel_recordings"
    }

    /// Re-fits `stored` on `pairs`, `recordings` and `panel` with the features, ridge, weight sign, options
    /// and probe count it records, and compares.
    public static func check(_ stored: Calibration, pairs: LabelledPairs, recordings: String, panel: [String],
                             probeSet: ProbeSet, model: EmbeddingModel, cache: EmbeddingCache? = nil,
                             progress: (@Sendable (String) -> Void)? = nil) throws -> CalibrationReproduction {
        let refit = try Calibration.fit(pairs: pairs, recordings: recordings, panel: panel, probeSet: probeSet, model: model,
                                        features: try EvidenceFeature.parse(stored.map.features), options: stored.options,
                                        ridge: stored.map.ridge, weightSign: stored.map.weightSign,
                                        probeSample: stored.probes < probeSet.probes.count ? stored.probes : nil,
                                        cache: cache, progress: progress)
        let storedData: Data
        do { storedData = try Data(contentsOf: URL(fileURLWithPath: stored.path)) } catch {
            throw InputError(.unreadable, at: SourceLocation(path: stored.path), "cannot read: \(error.localizedDescription)")
        }
        let refitData = try JSONOutput.data(refit)
        let refitSHA256 = SHA256Digest.hex(of: refitData)
        let inputs = refit.fittedOn, reproduced = refitData == storedData
        return CalibrationReproduction(
            calibration: stored.path, sha256: stored.sha256, refitSHA256: refitSHA256, reproduced: reproduced,
            inputDifferences: stored.fittedOn.map { recorded in inputs.map { recorded.differences(from: $0) } ?? [] } ?? [],
            differingFields: reproduced ? [] : try differingFields(storedData, refitData), inputsRecorded: stored.fittedOn != nil,
            pairsFile: pairs.sha256, labelledRecordings: inputs?.labelled.count ?? 0, panelRecordings: inputs?.panel.count ?? 0)
    }

    /// The top-level keys whose values differ between two JSON objects, in name order.
    static func differingFields(_ a: Data, _ b: Data) throws -> [String] {
        guard let x = try JSONSerialization.jsonObject(with: a) as? [String: Any],
              let y = try JSONSerialization.jsonObject(with: b) as? [String: Any] else { return ["(not a JSON object)"] }
        func canonical(_ value: Any?) -> Data? {
            value.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) }
        }
        return Set(x.keys).union(y.keys).sorted().filter { key in canonical(x[key]) == nil || canonical(x[key]) != canonical(y[key]) }
    }
}

extension CalibrationInputs {
    /// What in `current` is not what this record says: the pairs file, and each labelled or panel recording
    /// changed, missing or added, by model name.
    func differences(from current: CalibrationInputs) -> [String] {
        var lines: [String] = []
        if pairsSHA256 != current.pairsSHA256 {
            lines.append("pairs file: sha256 \(current.pairsSHA256.map { String($0.prefix(12)) } ?? "none"), the calibration records \(pairsSHA256.map { String($0.prefix(12)) } ?? "none")")
        }
        func compare(_ role: String, _ recorded: [Recording], _ now: [Recording]) {
            let then = Dictionary(recorded.map { ($0.model, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            let present = Dictionary(now.map { ($0.model, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            for model in Set(then.keys).union(present.keys).sorted() {
                switch (then[model], present[model]) {
                case let (old?, new?) where old != new:
                    lines.append("\(role) recording \(model): sha256 \(new.prefix(12)), the calibration records \(old.prefix(12))")
                case (_?, nil): lines.append("\(role) recording \(model): recorded in the calibration, not among these inputs")
                case (nil, _?): lines.append("\(role) recording \(model): among these inputs, not recorded in the calibration")
                default: break
                }
            }
        }
        compare("labelled", labelled, current.labelled)
        compare("panel", panel, current.panel)
        return lines
    }
}
