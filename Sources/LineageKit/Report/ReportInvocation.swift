import Foundation

/// Everything needed to run a report again: the command, its inputs as given on the command line and
/// as actually opened, and every option that changes a number. It is the manifest's `invocation`.
public struct ReportInvocation: Sendable, Codable, Equatable {
    /// `compare`, `attribute` or `matrix`.
    public var subcommand: String
    /// The command line as typed (for the reader; the fields below are what a re-run uses).
    public var arguments: [String]
    /// The folder relative paths were given in; `verify` re-runs from there so that paths quoted in
    /// the outputs come out the same.
    public var workingDirectory: String
    public var student: String?
    public var candidates: [String]
    /// Recording files of `matrix`.
    public var files: [String]
    /// The `--panel` folder as given (nil: the probe set's bundled panel) and the files read from it.
    public var panel: String?
    public var panelFiles: [String]
    /// `--probes` as given, and the path it was loaded from (the set's folder or file).
    public var probeSet: String
    public var probeSetPath: String
    public var inputFormat: String?
    /// `--model` as given (nil: bundled) and the file loaded.
    public var model: String?
    public var modelPath: String
    /// `--calibration` as given, and the file loaded (nil: no calibration was found; uncalibrated).
    public var calibration: String?
    public var calibrationPath: String?
    public var options: AttributionOptions
    /// Bootstrap resamples of the lineage tree (`matrix`).
    public var treeResamples: Int?

    public init(subcommand: String, arguments: [String], workingDirectory: String, student: String? = nil,
                candidates: [String] = [], files: [String] = [], panel: String? = nil, panelFiles: [String] = [],
                probeSet: String, probeSetPath: String, inputFormat: String? = nil, model: String? = nil,
                modelPath: String, calibration: String? = nil, calibrationPath: String? = nil,
                options: AttributionOptions = AttributionOptions(), treeResamples: Int? = nil) {
        self.subcommand = subcommand
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.student = student
        self.candidates = candidates
        self.files = files
        self.panel = panel
        self.panelFiles = panelFiles
        self.probeSet = probeSet
        self.probeSetPath = probeSetPath
        self.inputFormat = inputFormat
        self.model = model
        self.modelPath = modelPath
        self.calibration = calibration
        self.calibrationPath = calibrationPath
        self.options = options
        self.treeResamples = treeResamples
    }

    enum CodingKeys: String, CodingKey {
        case subcommand, arguments, workingDirectory = "working_directory", student, candidates, files, panel
        case panelFiles = "panel_files", probeSet = "probe_set", probeSetPath = "probe_set_path"
        case inputFormat = "input_format", model, modelPath = "model_path", calibration
        case calibrationPath = "calibration_path", options, treeResamples = "tree_resamples"
    }

    /// Every file the run reads, with its role, in a fixed order.
    var inputFiles: [(role: String, path: String)] {
        var list: [(String, String)] = []
        if let student { list.append(("student", student)) }
        list += candidates.map { ("candidate", $0) }
        list += files.map { ("recording", $0) }
        list += panelFiles.map { ("panel", $0) }
        let setFile: String = {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: probeSetPath, isDirectory: &isDirectory), isDirectory.boolValue {
                return (probeSetPath as NSString).appendingPathComponent("probes.jsonl")
            }
            return probeSetPath
        }()
        list.append(("probe-set", setFile))
        list.append(("embedding-model", modelPath))
        if let calibrationPath { list.append(("calibration", calibrationPath)) }
        return list
    }
}

/// `path` made absolute against `directory` and standardised.
func resolvedPath(_ path: String, in directory: String) -> String {
    let absolute = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
    return (absolute as NSString).standardizingPath
}
