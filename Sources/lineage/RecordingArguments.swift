import ArgumentParser
import Foundation
import LineageKit

/// The recording files of a folder (`.jsonl`, `.json`, `.csv`, not `pairs.json`), sorted by name so that
/// runs do not depend on directory order; with the names of the other entries, which are not recordings.
func recordingFolder(_ folder: String) throws -> (recordings: [String], others: [String]) {
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
        throw ValidationError("cannot list the folder \(folder): \(error.localizedDescription)")
    }
    // A result folder's own files (its manifest and the outputs it lists: matrix.json, mean-cosine.csv …)
    // are Lineage's results, not recordings, so a folder that also holds results still reads as its recordings.
    var results: Set<String> = []
    if names.contains(Manifest.fileName), let manifest = try? Manifest.load(directory: folder) {
        results = Set(manifest.outputs.map(\.file) + [Manifest.fileName])
    }
    func isRecording(_ name: String) -> Bool {
        let lower = name.lowercased()
        return (lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") || lower.hasSuffix(".csv")) && lower != "pairs.json"
            && !results.contains(name)
    }
    let path = { (folder as NSString).appendingPathComponent($0) }
    return (names.filter(isRecording).sorted().map(path), names.filter { !isRecording($0) && !$0.hasPrefix(".") }.sorted())
}

/// Command-line recording arguments with each folder replaced by its recording files (sorted), so that
/// `lineage matrix Probes/alpaca-eval/panel` compares a whole folder. Each folder is reported on stderr with
/// what it held, including the entries that are not recordings and were left out; a folder without any
/// recording is an error. Files are passed on as given (the readers report what is wrong with them).
func expandRecordingArguments(_ arguments: [String], report: Bool = true) throws -> [String] {
    var files: [String] = []
    for argument in arguments {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue else {
            files.append(argument)
            continue
        }
        let (recordings, others) = try recordingFolder(argument)
        guard !recordings.isEmpty else {
            throw ValidationError("\(argument): a folder without recording files (.jsonl, .json, .csv)")
        }
        let skipped = others.isEmpty ? "" : "; not recordings, left out: \(others.prefix(5).joined(separator: ", "))\(others.count > 5 ? " and \(others.count - 5) more" : "")"
        if report { printError("\(argument): \(recordings.count) recording file\(recordings.count == 1 ? "" : "s")\(skipped)") }
        files += recordings
    }
    return files
}

/// The arguments of the commands that read a list of recordings against a probe set and report on each
/// (`validate`, `claims`): the files or folders, the input options, and `--json`.
struct RecordingListOptions: ParsableArguments {
    @Argument(help: "Recording files (JSONL, AlpacaEval JSON, OpenAI Batch output, CSV), or folders of them.")
    var files: [String]

    @OptionGroup var input: InputOptions

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    /// The recording files, each folder expanded (`expandRecordingArguments`), and the probe set.
    func resolve() throws -> (files: [String], set: ProbeSet) {
        (try expandRecordingArguments(files), try ProbeSet.resolve(input.probes))
    }
}
