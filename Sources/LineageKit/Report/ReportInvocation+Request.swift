import Foundation

extension ReportInvocation {
    /// The attribution request this invocation means: its probe set, embedding model, calibration (none:
    /// uncalibrated) and input format loaded from the recorded paths.
    func request(student: String) throws -> AttributionRequest {
        let format = try inputFormat.map { name -> RecordingFormat in
            guard let format = RecordingFormat(rawValue: name) else { throw ReportError("unknown input format \(name)") }
            return format
        }
        return AttributionRequest(student: student, candidates: candidates, panel: panelFiles,
                                  probeSet: try ProbeSet.load(path: probeSetPath), inputFormat: format,
                                  model: try EmbeddingModel(contentsOf: modelPath),
                                  calibration: try calibrationPath.map { try Calibration.load(path: $0) } ?? .uncalibrated,
                                  options: options)
    }
}
