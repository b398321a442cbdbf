import Foundation
import Testing

/// The outputs a script reads: the ranking and matrix pairs as CSV, and `--fail-on`'s exit status.
@Suite("CLI: --csv, ranking.csv, pairs.csv and --fail-on", .serialized)
struct ScriptingOutputCLITests {
    static let corpus: Result<String, Error> = Result {
        let folder = try SyntheticCorpus.temporaryFolder("scripting")
        // A recording whose model name a spreadsheet would run as a formula.
        let teacher = try String(contentsOfFile: folder + "/teacher.jsonl", encoding: .utf8)
            .replacingOccurrences(of: "\"model\": \"teacher\"", with: "\"model\": \"=HYPERLINK(1)\"")
        try Data(teacher.utf8).write(to: URL(fileURLWithPath: folder + "/formula.jsonl"))
        return folder
    }

    static let attribute = ["attribute", "--student", "student.jsonl", "--candidate", "teacher.jsonl",
                            "--candidate", "other.jsonl", "--candidate", "formula.jsonl"] + SyntheticCorpus.options
    static let matrix = ["matrix", "student.jsonl", "teacher.jsonl", "other.jsonl", "formula.jsonl",
                         "--probes", "probes.jsonl", "--model", "model.lnm", "--quiet"]

    static func records(_ text: String) -> [[String]] {
        text.components(separatedBy: "\r\n").dropLast().map { $0.components(separatedBy: ",") }
    }

    @Test("a pair gets the same interval and MMD p-value from compare and from attribute, wherever it ranks")
    func samePairSameInterval() throws {
        let folder = try Self.corpus.get()
        let comparison = ["compare", "--student", "student.jsonl", "--teacher", "other.jsonl"] + SyntheticCorpus.options
        let compare = try CLI.run(comparison + ["--csv"], in: folder)
        let attribute = try CLI.run(Self.attribute + ["--csv"], in: folder)
        #expect(compare.status == 0 && attribute.status == 0, "\(compare.stderr)\(attribute.stderr)")
        let header = Self.records(compare.stdout).first ?? []
        let columns = ["ngram_score_ci_low", "ngram_score_ci_high"].compactMap { header.firstIndex(of: $0) }
        #expect(columns.count == 2)
        func interval(_ output: CLI.Output) -> [String]? {
            Self.records(output.stdout).first { $0.count > 1 && $0[1] == "other" }.map { row in columns.map { row[$0] } }
        }
        #expect(interval(compare) != nil && interval(compare) == interval(attribute), "\(compare.stdout)\(attribute.stdout)")
        let json = try CLI.run(comparison + ["--json"], in: folder)
        let batch = try CLI.run(Self.attribute + ["--json"], in: folder)
        func mmd(_ output: CLI.Output) -> Double? {
            // compare: the pair's own document; attribute: the candidate's entry in the ranking.
            let object = try? JSONSerialization.jsonObject(with: output.stdoutBytes) as? [String: Any]
            let ranking = object?["ranking"] as? [[String: Any]]
            let entry = ranking?.first { $0["model"] as? String == "other" } ?? object
            return ((entry?["statistics"] as? [String: Any])?["mmd"] as? [String: Any])?["p_value"] as? Double
        }
        #expect(mmd(json) != nil && mmd(json) == mmd(batch))
    }

    @Test("attribute --csv prints the ranking, one row per candidate; --out writes the same ranking.csv")
    func rankingCSV() throws {
        let folder = try Self.corpus.get()
        let printed = try CLI.run(Self.attribute + ["--csv"], in: folder)
        #expect(printed.status == 0, "\(printed.stderr)")
        let rows = Self.records(printed.stdout)
        #expect(rows.first?.prefix(4) == ["student", "candidate", "rank", "score"])
        #expect(rows.count == 4)
        #expect(rows.dropFirst().allSatisfy { $0[0] == "student" })
        #expect(rows.dropFirst().map { $0[2] } == ["1", "2", "3"])
        #expect(rows.contains { $0[1] == "'=HYPERLINK(1)" }, "a formula-like model name is neutralised")
        let written = try CLI.run(Self.attribute + ["--csv", "--out", "a"], in: folder)
        #expect(written.status == 0)
        #expect(written.stdoutBytes == printed.stdoutBytes)
        #expect(try String(contentsOfFile: folder + "/a/ranking.csv", encoding: .utf8) == printed.stdout)
        #expect(try CLI.run(Self.attribute + ["--csv", "--json"], in: folder).status == 64)
    }

    @Test("each model under test carries its answer profile (median length as characters) in JSON, ranking.csv and the report; panel models do not")
    func answerLengths() throws {
        let folder = try Self.corpus.get()
        /// The median length in Unicode scalars of a JSONL recording's outputs, worked out here from the file.
        func median(_ file: String) throws -> Double {
            let lengths = try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n").map { line in
                let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return Double((record?["output"] as? String ?? "").unicodeScalars.count)
            }.sorted()
            let n = lengths.count
            return n % 2 == 1 ? lengths[n / 2] : (lengths[n / 2 - 1] + lengths[n / 2]) / 2
        }
        let json = try CLI.run(Self.attribute + ["--json"], in: folder)
        #expect(json.status == 0, "\(json.stderr)")
        let details = (try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [String: Any])?["details"] as? [String: Any]
        func characters(_ input: Any?) -> Double? {
            ((input as? [String: Any])?["answers"] as? [String: Any])?["median_characters"] as? Double
        }
        let student = try median("student.jsonl"), other = try median("other.jsonl")
        #expect(student != other, "the corpus gives the two different lengths")
        #expect(characters(details?["student"]) == student)
        let candidates = details?["candidates"] as? [[String: Any]] ?? []
        #expect(characters(candidates.first { $0["model"] as? String == "other" }) == other)
        #expect(candidates.count == 3 && candidates.allSatisfy { characters($0) != nil })
        let panel = details?["panel"] as? [[String: Any]] ?? []
        #expect(!panel.isEmpty && panel.allSatisfy { $0["answers"] == nil })

        let rows = Self.records(try CLI.run(Self.attribute + ["--csv"], in: folder).stdout)
        let header = rows.first ?? []
        let columns = ["student_median_characters", "candidate_median_characters"].compactMap { header.firstIndex(of: $0) }
        #expect(columns.count == 2)
        let row = rows.first { $0.count > 1 && $0[1] == "other" } ?? []
        #expect(columns.count == 2 && row.count == header.count && columns.map { Double(row[$0]) } == [student, other])

        let text = try CLI.run(Self.attribute, in: folder)
        #expect(text.stdout.contains("median answer \(Int(student.rounded())) characters"), "\(text.stdout)")
        #expect(try CLI.run(Self.attribute + ["--out", "lengths"], in: folder).status == 0)
        let report = try String(contentsOfFile: folder + "/lengths/report.md", encoding: .utf8)
        let rankingHeader = report.split(separator: "\n").first { $0.hasPrefix("| rank | candidate |") }
        #expect(rankingHeader?.hasSuffix("| median answer (characters; student \(Int(student.rounded()))) |") == true, "\(rankingHeader ?? "no ranking table")")
        #expect(report.contains("| \(Int(other.rounded())) |"))
        #expect(report.contains("Answer length is a confound"), "the limitations name the confound the column is for")
    }

    @Test("matrix --csv prints every ordered pair in long form; --out writes the same pairs.csv")
    func pairsCSV() throws {
        let folder = try Self.corpus.get()
        let printed = try CLI.run(Self.matrix + ["--csv"], in: folder)
        #expect(printed.status == 0, "\(printed.stderr)")
        let rows = Self.records(printed.stdout)
        #expect(rows.first?.prefix(5) == ["student", "candidate", "score", "mean_cosine", "probes_compared"])
        #expect(rows.count == 1 + 4 * 3)
        #expect(rows.dropFirst().allSatisfy { $0[0] != $0[1] && $0[4] == "30" })
        let written = try CLI.run(Self.matrix + ["--csv", "--out", "m", "--tree-bootstrap", "3"], in: folder)
        #expect(written.status == 0)
        let file = try String(contentsOfFile: folder + "/m/pairs.csv", encoding: .utf8)
        #expect(written.stdout == file)
        #expect(Self.records(file).map { $0.prefix(2) } == rows.map { $0.prefix(2) })
        #expect(written.stderr.contains("matrix: 4 models"))
    }

    @Test("--fail-on exits 3 when the top verdict matches, 0 otherwise, after printing the result")
    func failOn() throws {
        let folder = try Self.corpus.get()
        // No calibration.json beside the synthetic probes: every verdict is inconclusive.
        let compare = ["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--json"] + SyntheticCorpus.options
        let matched = try CLI.run(compare + ["--fail-on", "inconclusive"], in: folder)
        #expect(matched.status == 3)
        #expect((try? JSONSerialization.jsonObject(with: matched.stdoutBytes)) != nil, "one JSON document, no error document")
        let other = try CLI.run(compare + ["--fail-on", "distilled", "--fail-on", "not-distilled"], in: folder)
        #expect(other.status == 0)
        #expect(try CLI.run(Self.attribute + ["--fail-on", "inconclusive"], in: folder).status == 3)
        #expect(try CLI.run(compare + ["--fail-on", "maybe"], in: folder).status == 64)
        let help = try CLI.run(["compare", "--help"]).stdout
        #expect(help.contains("--fail-on") && help.contains("status 3"))
    }
}
