import ArgumentParser
import Foundation
import LineageKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Read recordings and report how each aligns with a probe set (aligned, missing, empty, duplicate, unknown)."
    )

    @OptionGroup var recordings: RecordingListOptions

    func run() throws {
        let (files, set) = try recordings.resolve()
        let input = recordings.input, json = recordings.json
        var reports: [ValidationReport] = []
        var failures = 0
        for file in files {
            do {
                // Streamed, keeping no answer text: memory stays flat however large the file.
                let aligned = try Aligner.align(path: file, format: input.inputFormat, to: set, keepTexts: false)
                reports.append(ValidationReport(file: file, model: aligned.model, format: aligned.format.rawValue,
                                                sha256: aligned.sha256, notes: aligned.notes,
                                                alignment: aligned.summary, error: nil))
            } catch {
                failures += 1
                reports.append(ValidationReport(file: file, model: nil, format: nil, sha256: nil, notes: nil,
                                                alignment: nil, error: "\(error)"))
                if !json { printError("error: \(error)") }
            }
        }
        if json {
            print(try JSONOutput.string(ValidationDocument(probeSet: set.name, probeSetSHA256: set.sha256, files: reports)))
        } else {
            say("probe set \(set.name) (\(set.probes.count) probes, sha256 \(set.sha256.prefix(12)))")
            for report in reports {
                guard let a = report.alignment else { continue }
                let F = TerminalText.field
                var line = "\(F(report.file)): model \(F(report.model ?? "?")) [\(report.format ?? "?")] aligned \(a.aligned)/\(a.probes), missing \(a.missing), empty \(a.empty), duplicate \(a.duplicate), unknown \(a.unknown)"
                if a.conflicting > 0 { line += " (\(a.conflicting) conflicting)" }
                say(line)
                if !a.missingIDs.isEmpty { say("  missing: \(a.missingIDs.prefix(20).map(F).joined(separator: " "))\(a.missingIDs.count > 20 ? " …" : "")") }
                if !a.emptyIDs.isEmpty { say("  empty: \(a.emptyIDs.prefix(20).map(F).joined(separator: " "))\(a.emptyIDs.count > 20 ? " …" : "")") }
                if !a.unknownRecords.isEmpty { say("  unknown: \(a.unknownRecords.prefix(5).map(F).joined(separator: "; "))\(a.unknownRecords.count > 5 ? " …" : "")") }
                if let notes = report.notes {
                    if notes.byteOrderMark { say("  note: a UTF-8 byte-order mark was skipped") }
                    if notes.crlfLines > 0 { say("  note: \(notes.crlfLines) lines end in CRLF") }
                    if !notes.failedRequests.isEmpty { say("  note: \(notes.failedRequests.count) failed requests carried no answer") }
                }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

struct ValidationReport: Encodable {
    let file: String
    let model: String?
    let format: String?
    let sha256: String?
    let notes: ReadingNotes?
    let alignment: AlignmentSummary?
    let error: String?
}

struct ValidationDocument: Encodable {
    let probeSet: String
    let probeSetSHA256: String
    let files: [ValidationReport]
    enum CodingKeys: String, CodingKey { case probeSet = "probe_set", probeSetSHA256 = "probe_set_sha256", files }
}
