import Foundation
import Testing

/// The length check end to end on the shipped AlpacaEval configuration: every result with two or more
/// candidates ranks them again with answer length corrected, beside the verdict, which it never changes.
@Suite("Length check (CLI)", .serialized)
struct LengthCheckCLITests {
    static let release = VerdictCLITests.release
    static let root = VerdictCLITests.root
    static let candidates = ["gpt4_0314", "gpt-3.5-turbo-0301", "claude"]

    /// zephyr-7b-beta (labelled a student of gpt-3.5-turbo-0301) against `candidates`, in that order.
    static func attribute(_ candidates: [String], _ extra: [String] = ["--json"]) throws -> CLI.Output {
        let output = try CLI.run(executable: release ?? "",
                                 ["attribute", "--student", "\(VerdictCLITests.recordings)/zephyr-7b-beta.jsonl", "--quiet",
                                  "--bootstrap", "20", "--permutations", "20"] + extra
                                     + candidates.flatMap { ["--candidate", "\(VerdictCLITests.recordings)/\($0).jsonl"] },
                                 in: root)
        #expect(output.status == 0, "\(output.stderr)")
        return output
    }

    static func details(_ output: CLI.Output) throws -> [String: Any] {
        try #require((try JSONSerialization.jsonObject(with: output.stdoutBytes) as? [String: Any])?["details"] as? [String: Any])
    }

    @Test("a second ranking with length corrected, independent of the candidates' order; the verdict's ranking unchanged",
          .enabled(if: release != nil))
    func secondRanking() throws {
        let details = try Self.details(try Self.attribute(Self.candidates))
        let ranking = try #require(details["ranking"] as? [[String: Any]])
        let check = try #require(details["length_check"] as? [String: Any])
        let entries = try #require(check["ranking"] as? [[String: Any]])
        #expect(Set(entries.compactMap { $0["model"] as? String }) == Set(Self.candidates))
        let scores = entries.compactMap { $0["score"] as? Double }
        #expect(scores.count == 3 && scores == scores.sorted(by: >))
        // The shipped verdict ranks gpt4_0314 first for this student, one of the GPT-3.5/GPT-4 mix-ups; with
        // length corrected its labelled teacher is first.
        #expect(ranking.first?["model"] as? String == "gpt4_0314")
        #expect(entries.first?["model"] as? String == "gpt-3.5-turbo-0301")
        #expect(check["agrees"] as? Bool == false)
        let record = try #require(check["calibration"] as? [String: Any])
        let rates = try #require((details["calibration"] as? [String: Any])?["error_rates"] as? [String: Any])
        #expect((record["agreeing"] as? Int ?? 0) + (record["differing"] as? Int ?? 0) == rates["distilled_students"] as? Int)
        let reversed = try Self.details(try Self.attribute(Self.candidates.reversed()))
        let first = try JSONSerialization.data(withJSONObject: check, options: [.sortedKeys])
        let second = try JSONSerialization.data(withJSONObject: try #require(reversed["length_check"]), options: [.sortedKeys])
        #expect(first == second, "the length check depends on the order of --candidate")
        // One candidate: nothing to reorder, no check.
        let single = try Self.details(try Self.attribute(["gpt4_0314"]))
        #expect(single["length_check"] == nil && single["ranking"] != nil)
    }

    @Test("the summary, ranking.csv and the report state it", .enabled(if: release != nil))
    func statedEverywhere() throws {
        let text = try Self.attribute(Self.candidates, [])
        let line = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("length check") })
        #expect(line.contains("gpt-3.5-turbo-0301 ranks first instead of gpt4_0314"), "\(line)")
        #expect(line.contains("in calibration (leave one student out) the two rankings named different first candidates"))
        let csv = ScriptingOutputCLITests.records(try Self.attribute(Self.candidates, ["--csv"]).stdout)
        let header = try #require(csv.first)
        let rank = try #require(header.firstIndex(of: "length_adjusted_rank"))
        let lr = try #require(header.firstIndex(of: "length_adjusted_log10_likelihood_ratio"))
        let row = try #require(csv.first { $0.count == header.count && $0[1] == "gpt-3.5-turbo-0301" })
        #expect(row[rank] == "1" && Double(row[lr]) != nil)
        let folder = try CLI.temporaryFolder("length-check")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Self.attribute(Self.candidates, ["--out", folder])
        let report = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        #expect(report.contains("Length check (a sensitivity analysis; it does not change any verdict)"))
        #expect(report.contains("| candidate | rank | rank, length corrected | log10 LR, length corrected |"))
        #expect(report.contains("gpt-3.5-turbo-0301 ranks first instead of gpt4\\_0314"))  // Markdown-escaped
        // A batch's table: the check's first beside each student's top candidate ("same" where they agree).
        let batch = try CLI.run(executable: Self.release ?? "",
                                ["attribute", "--students", "\(VerdictCLITests.recordings)/zephyr-7b-beta.jsonl",
                                 "\(VerdictCLITests.recordings)/vicuna-13b.jsonl", "--quiet", "--bootstrap", "20", "--permutations", "20"]
                                    + Self.candidates.flatMap { ["--candidate", "\(VerdictCLITests.recordings)/\($0).jsonl"] },
                                in: Self.root)
        let rows = batch.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first?.contains("corrected") == true, "\(batch.stdout)")
        #expect(rows.first { $0.first == "zephyr-7b-beta" }?.dropFirst(4).first == "gpt-3.5-turbo-0301", "\(batch.stdout)")
        #expect(rows.first { $0.first == "vicuna-13b" }?.dropFirst(4).first == "same", "\(batch.stdout)")
    }

    @Test("calibrate --evaluate applies the check unchanged to another probe set and names the students where the rankings differ",
          .enabled(if: release != nil && FileManager.default.fileExists(atPath: VerdictCLITests.arena)))
    func evaluatedOnArena() throws {
        let evaluated = try VerdictCLITests.evaluateOnArena(["--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let evaluation = try #require(try JSONSerialization.jsonObject(with: evaluated.stdoutBytes) as? [String: Any])
        let adjustment = try #require(evaluation["length_adjustment"] as? [String: Any])
        let calibration = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: Self.root + "/Probes/alpaca-eval/calibration.json"))) as? [String: Any])
        let fitted = try #require(calibration["length_adjustment"] as? [String: Any])
        // Applied unchanged: the AlpacaEval shifts and map; measured anew: the firsts of arena-bench-v1's 3 students.
        for key in ["shifts", "map"] {
            let here = try JSONSerialization.data(withJSONObject: try #require(adjustment[key]), options: [.sortedKeys])
            let there = try JSONSerialization.data(withJSONObject: try #require(fitted[key]), options: [.sortedKeys])
            #expect(here == there, "\(key) was refitted")
        }
        let firsts = try #require(adjustment["firsts"] as? [[String: Any]])
        #expect(firsts.count == 3)
        let text = try VerdictCLITests.evaluateOnArena([])
        let line = text.stdout.split(separator: "\n").first { $0.contains("where they differ") }.map(String.init)
        let differing = firsts.filter { $0["verdict"] as? String != $0["adjusted"] as? String }
        #expect((line == nil) == differing.isEmpty, "\(text.stdout)")
        for first in differing {
            let tier = (first["confidence"] as? String).map { " (\($0))" } ?? ""
            #expect(line?.contains("\(first["student"] as? String ?? "?")\(tier): verdict \(first["verdict"] as? String ?? "?")") == true, "\(line ?? "")")
        }
        #expect(text.stdout.contains("on these pairs (both maps applied unchanged) the two rankings"))
    }
}
