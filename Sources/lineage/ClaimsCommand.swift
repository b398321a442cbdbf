import ArgumentParser
import Foundation
import LineageKit

struct ClaimsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "List, per model, the model families its answers claim to be (\"I am ChatGPT\", \"as an AI trained by OpenAI\") and those they merely mention."
    )

    @OptionGroup var recordings: RecordingListOptions

    func run() throws {
        let (files, set) = try recordings.resolve()
        let input = recordings.input, json = recordings.json
        var models: [IdentityClaims] = []
        for file in files {
            let aligned = try Aligner.align(path: file, format: input.inputFormat, to: set)
            models.append(IdentityClaims.detect(aligned, probes: set))
        }
        if json {
            print(try JSONOutput.string(ClaimsDocument(probeSet: set.name, probeSetSHA256: set.sha256, models: models)))
            return
        }
        say("probe set \(set.name) (\(set.probes.count) probes); cells: answers claiming the family (answers merely mentioning it)")
        let F = TerminalText.field
        let width = max(5, models.map { F($0.model).count }.max() ?? 0)
        say("model".padding(toLength: width, withPad: " ", startingAt: 0) + "  answers  claims                          mentions")
        for model in models {
            let claimed = model.claimed.map { "\($0.family) \($0.selfClaims)" }.joined(separator: ", ")
            let mentioned = model.families.filter { $0.mentions > 0 }
                .sorted { ($0.mentions, $1.family) > ($1.mentions, $0.family) }
                .map { "\($0.family) \($0.mentions)" }.joined(separator: ", ")
            let claimsColumn = (claimed.isEmpty ? "-" : claimed).padding(toLength: 30, withPad: " ", startingAt: 0)
            say(F(model.model).padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                  + String(model.answers).leftPadded(7) + "  " + claimsColumn + "  " + (mentioned.isEmpty ? "-" : mentioned))
        }
        let examples = models.flatMap { model in
            model.claimed.flatMap { family in
                family.examples.filter(\.selfClaim).map { "  \(F(model.model)) [\(family.family), \(F($0.probe))]: \(F($0.excerpt))" }
            }
        }
        if !examples.isEmpty {
            say("\nself-claims (up to \(IdentityClaims.exampleLimit) per model and family):")
            examples.forEach { say($0) }
        }
    }
}

struct ClaimsDocument: Encodable {
    let probeSet: String
    let probeSetSHA256: String
    let models: [IdentityClaims]
    enum CodingKeys: String, CodingKey { case probeSet = "probe_set", probeSetSHA256 = "probe_set_sha256", models }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
