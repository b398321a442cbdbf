import Foundation
import LineageKit
import Testing

/// The verdict end to end on the shipped AlpacaEval configuration and on a user's own probe set: evidence
/// the calibration does not cover is inconclusive with its reason, and a calibration fitted on another
/// probe set is the one a run on that set uses. Run with the release binary (`make test` sets
/// LINEAGE_RELEASE_BIN): each embeds the 32-model panel.
@Suite("Verdict (CLI)", .serialized)
struct VerdictCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let release = ProcessInfo.processInfo.environment["LINEAGE_RELEASE_BIN"]
    static let arena = (root as NSString).appendingPathComponent("../shared/data/arena-bench-v1")
    static let recordings = "Probes/alpaca-eval/recordings"

    static func compare(student: String, teacher: String, extra: [String] = []) throws -> [String: Any] {
        let output = try CLI.run(executable: release ?? "", ["compare", "--student", student, "--teacher", teacher,
                                                             "--json", "--quiet", "--bootstrap", "20", "--permutations", "20"] + extra,
                                 in: root)
        #expect(output.status == 0, "\(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: output.stdoutBytes) as? [String: Any])
    }

    static func reasons(_ comparison: [String: Any]) -> [String] {
        let details = comparison["details"] as? [String: Any]
        let ranking = details?["ranking"] as? [[String: Any]]
        return ranking?.first?["inconclusive_reasons"] as? [String] ?? []
    }

    static let bundledPanelFolder = "Probes/alpaca-eval/panel"

    /// The bundled panel's file names, sorted.
    static func bundledPanel() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: (root as NSString).appendingPathComponent(bundledPanelFolder)).sorted()
    }

    /// A new folder of links to these files of the bundled panel: a panel of only those models.
    static func panelFolder(_ names: [String]) throws -> String {
        let folder = try CLI.temporaryFolder("panel-\(names.count)")
        for name in names {
            try FileManager.default.createSymbolicLink(atPath: (folder as NSString).appendingPathComponent(name),
                                                       withDestinationPath: (root as NSString).appendingPathComponent("\(bundledPanelFolder)/\(name)"))
        }
        return folder
    }

    /// `calibrate --evaluate` of the shipped AlpacaEval calibration on arena-bench-v1's pairs, panel and probes.
    static func evaluateOnArena(_ extra: [String]) throws -> CLI.Output {
        try CLI.run(executable: release ?? "", [
            "calibrate", "--probes", arena, "--pairs", "\(arena)/pairs.json", "--recordings", "\(arena)/recordings",
            "--panel", "\(arena)/panel", "--evaluate", "Probes/alpaca-eval/calibration.json", "--quiet"] + extra, in: root)
    }

    /// A recording of `model` with the given answers by probe id.
    static func recording(_ model: String, _ answers: [(String, String)]) throws -> String {
        let folder = try CLI.temporaryFolder("verdict")
        let lines = try answers.map { id, text -> String in
            let data = try JSONSerialization.data(withJSONObject: ["probe": id, "model": model, "output": text], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        let path = (folder as NSString).appendingPathComponent("\(model).jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func probes() throws -> [(id: String, prompt: String)] {
        let text = try String(contentsOfFile: (root as NSString).appendingPathComponent("Probes/alpaca-eval/probes.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try #require(object["id"] as? String), try #require(object["prompt"] as? String))
        }
    }

    @Test("a student that answered 2 of 805 probes gets inconclusive, saying why", .enabled(if: release != nil))
    func tooFewProbesIsInconclusive() throws {
        let text = try String(contentsOfFile: (Self.root as NSString).appendingPathComponent("\(Self.recordings)/vicuna-13b.jsonl"), encoding: .utf8)
        let two = try text.split(separator: "\n").prefix(2).map { line -> (String, String) in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try #require(object["probe"] as? String), try #require(object["output"] as? String))
        }
        let path = try Self.recording("vicuna-13b-two", two)
        let comparison = try Self.compare(student: path, teacher: "\(Self.recordings)/gpt-3.5-turbo-0301.jsonl")
        #expect(comparison["verdict"] as? String == "inconclusive")
        #expect(Self.reasons(comparison).contains { $0.contains("only 2 probes") })
    }

    @Test("a student that only echoes its prompts gets inconclusive, not not-distilled", .enabled(if: release != nil))
    func echoIsInconclusive() throws {
        let path = try Self.recording("echo", try Self.probes().map { ($0.id, $0.prompt) })
        let comparison = try Self.compare(student: path, teacher: "\(Self.recordings)/gpt-3.5-turbo-0301.jsonl")
        #expect(comparison["verdict"] as? String == "inconclusive")
        #expect(Self.reasons(comparison).contains { $0.contains("repeat the prompt") })
    }

    @Test("a documented student of the shipped set is found, and its report says it is in the calibration",
          .enabled(if: release != nil))
    func shippedStudentIsFlagged() throws {
        let comparison = try Self.compare(student: "\(Self.recordings)/vicuna-13b.jsonl",
                                          teacher: "\(Self.recordings)/gpt-3.5-turbo-0301.jsonl")
        let calibration = try #require((comparison["details"] as? [String: Any])?["calibration"] as? [String: Any])
        #expect(calibration["student_in_calibration"] as? Bool == true)
        #expect(calibration["probe_set"] as? String == "alpaca-eval")
        #expect(comparison["verdict"] as? String == "distilled")
        #expect(Self.reasons(comparison).isEmpty)
    }

    @Test("the same pair against 5 of the shipped panel's 32 models is inconclusive, naming the panel; against 24 it is judged",
          .enabled(if: release != nil))
    func smallPanelIsInconclusive() throws {
        let names = try Self.bundledPanel()
        func panel(_ count: Int) throws -> String { try Self.panelFolder(Array(names.prefix(count))) }
        let student = "\(Self.recordings)/vicuna-13b.jsonl", teacher = "\(Self.recordings)/gpt-3.5-turbo-0301.jsonl"
        let small = try Self.compare(student: student, teacher: teacher, extra: ["--panel", try panel(5)])
        #expect(small["verdict"] as? String == "inconclusive")
        #expect(Self.reasons(small) == ["the panel has 5 models; the calibration's error rates hold for a panel of 24 or more (a smaller panel makes every pair look more alike)"])
        let enough = try Self.compare(student: student, teacher: teacher, extra: ["--panel", try panel(24)])
        #expect(Self.reasons(enough).isEmpty)
        #expect(enough["verdict"] as? String == "distilled")
    }

    @Test("a copy of the student under another name in its own panel is left out, naming the reason, and the verdict is the one without it",
          .enabled(if: release != nil))
    func studentCopyInThePanelIsLeftOut() throws {
        let folder = try Self.panelFolder(try Self.bundledPanel())
        let original = try String(contentsOfFile: (Self.root as NSString).appendingPathComponent("\(Self.recordings)/vicuna-13b.jsonl"), encoding: .utf8)
        let renamed = original.replacingOccurrences(of: "\"model\": \"vicuna-13b\"", with: "\"model\": \"lmsys-vicuna\"")
        #expect(renamed != original)
        try Data(renamed.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("lmsys-vicuna.jsonl")))
        let student = "\(Self.recordings)/vicuna-13b.jsonl", teacher = "\(Self.recordings)/gpt-3.5-turbo-0301.jsonl"
        let withCopy = try Self.compare(student: student, teacher: teacher, extra: ["--panel", folder])
        let details = try #require(withCopy["details"] as? [String: Any])
        let excluded = try #require(details["panel_excluded"] as? [[String: Any]])
        #expect(excluded.contains { $0["model"] as? String == "lmsys-vicuna" && $0["reason"] as? String == "same_answers" })
        #expect((details["panel"] as? [[String: Any]])?.count == 32)
        let plain = try #require(try Self.compare(student: student, teacher: teacher)["details"] as? [String: Any])
        let lr = { (d: [String: Any]) in (d["ranking"] as? [[String: Any]])?.first?["log10_likelihood_ratio"] as? Double }
        #expect(lr(details) != nil && lr(details) == lr(plain))
    }

    @Test("--panel-jackknife: each omission is the run against the panel without that model, and the option is recorded",
          .enabled(if: release != nil))
    func panelJackknifeIsASmallerPanel() throws {
        let names = try Self.bundledPanel()
        func attribute(_ extra: [String]) throws -> [String: Any] {
            let output = try CLI.run(executable: Self.release ?? "", [
                "attribute", "--student", "\(Self.recordings)/vicuna-13b.jsonl", "--candidate", "\(Self.recordings)/gpt-3.5-turbo-0301.jsonl",
                "--candidate", "\(Self.recordings)/gpt4_0314.jsonl", "--json", "--quiet", "--bootstrap", "20", "--permutations", "20"] + extra,
                                     in: Self.root)
            #expect(output.status == 0, "\(output.stderr)")
            return try #require((try JSONSerialization.jsonObject(with: output.stdoutBytes) as? [String: Any])?["details"] as? [String: Any])
        }
        let details = try attribute(["--panel-jackknife"])
        #expect((details["options"] as? [String: Any])?["panel_jackknife"] as? Bool == true)
        let jackknife = try #require(details["panel_jackknife"] as? [String: Any])
        let candidates = try #require(jackknife["candidates"] as? [[String: Any]])
        let first = try #require(candidates.first?["omissions"] as? [[String: Any]])
        #expect(jackknife["omissions"] as? Int == names.count)
        #expect(first.compactMap { $0["panel_model"] as? String }.sorted() == names.map { ($0 as NSString).deletingPathExtension }.sorted())
        // The lowest omission, run for real against the 31 other panel models, gives the same LR to the bit.
        let lowest = try #require(first.min { ($0["log10_likelihood_ratio"] as? Double ?? 0) < ($1["log10_likelihood_ratio"] as? Double ?? 0) })
        let left = try #require(lowest["panel_model"] as? String)
        let folder = try Self.panelFolder(names.filter { ($0 as NSString).deletingPathExtension != left })
        let smaller = try attribute(["--panel", folder])
        #expect(smaller["panel_jackknife"] == nil)
        let ranking = try #require(smaller["ranking"] as? [[String: Any]])
        let model = try #require(candidates.first?["model"] as? String)
        let rerun = try #require(ranking.first { $0["model"] as? String == model }?["log10_likelihood_ratio"] as? Double)
        #expect(rerun == lowest["log10_likelihood_ratio"] as? Double)
        let refused = try CLI.run(executable: Self.release ?? "", ["calibrate", "--pairs", "\(Self.recordings)/pairs.json",
                                                                  "--recordings", Self.recordings, "--panel-jackknife"], in: Self.root)
        #expect(refused.status == 64 && refused.stderr.contains("--panel-jackknife is for compare and attribute"))
    }

    @Test("calibrate on a user's own probe set writes the calibration that compare then uses for that set",
          .enabled(if: release != nil && FileManager.default.fileExists(atPath: arena)))
    func ownProbeSetCalibration() throws {
        let folder = try CLI.temporaryFolder("arena-calibration")
        let file = (folder as NSString).appendingPathComponent("calibration.json")
        let fit = try CLI.run(executable: Self.release ?? "", [
            "calibrate", "--probes", Self.arena, "--pairs", "\(Self.arena)/pairs.json", "--recordings", "\(Self.arena)/recordings",
            "--panel", "\(Self.arena)/panel", "--write", file, "--quiet"], in: Self.root)
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("probe set arena-bench-v1"))
        let comparison = try Self.compare(student: "\(Self.arena)/recordings/vicuna-13b-v1.5.jsonl",
                                          teacher: "\(Self.arena)/recordings/gpt-3.5-turbo.jsonl",
                                          extra: ["--probes", Self.arena, "--panel", "\(Self.arena)/panel", "--calibration", file])
        let calibration = try #require((comparison["details"] as? [String: Any])?["calibration"] as? [String: Any])
        #expect(calibration["probe_set"] as? String == "arena-bench-v1")
        #expect((calibration["mismatches"] as? [String])?.isEmpty == true)
        #expect(calibration["panel_size"] as? Int == 5)
        // The shipped AlpacaEval calibration, applied unchanged, carries over (AUC on the 27 pairs).
        let evaluated = try Self.evaluateOnArena(["--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let evaluation = try #require(try JSONSerialization.jsonObject(with: evaluated.stdoutBytes) as? [String: Any])
        let metrics = try #require(evaluation["metrics"] as? [[String: Any]])
        #expect((metrics.first?["auc"] as? Double ?? 0) >= 0.95)
        #expect(metrics.first?["false_distilled"] as? Int == 0)
        #expect(evaluation["fitted_probe_set"] as? String == "alpaca-eval")
        #expect(evaluation["probe_set"] as? String == "arena-bench-v1")
        #expect(evaluation["probes"] as? Int == 300 && evaluation["probe_sample_seed"] == nil)
        #expect((evaluation["pairs"] as? [[String: Any]])?.count == metrics.first?["pairs"] as? Int)
        #expect((evaluation["within_teacher"] as? [[String: Any]])?.first?["teacher"] as? String == "gpt-3.5-turbo")
        // Both name the files they were measured on: the pairs file and each recording, by SHA-256.
        let pairsHash = try SHA256Digest.hex(ofFile: "\(Self.arena)/pairs.json")
        let fitted = try #require(try Calibration.load(path: file).fittedOn)
        let inputs = try #require(evaluation["inputs"] as? [String: Any])
        #expect(fitted.pairsSHA256 == pairsHash && inputs["pairs_sha256"] as? String == pairsHash)
        #expect(fitted.panel.map(\.model) == ["Mistral-7B-Instruct-v0.1", "Mixtral-8x7B-Instruct-v0.1", "Starling-LM-7B-alpha",
                                               "openchat_3.5", "palm-2-chat-bison-001"])
        let vicuna = try #require(fitted.labelled.first { $0.model == "vicuna-7b-v1.5" })
        #expect(vicuna.sha256 == (try SHA256Digest.hex(ofFile: "\(Self.arena)/recordings/vicuna-7b-v1.5.jsonl")))
        #expect((inputs["labelled"] as? [[String: Any]])?.count == fitted.labelled.count)
    }

    @Test("calibrate --evaluate judges on a --probe-sample when one is given, and refuses the options that only shape a fit",
          .enabled(if: release != nil && FileManager.default.fileExists(atPath: arena)))
    func evaluateOnAProbeSample() throws {
        let evaluate = Self.evaluateOnArena
        let whole = try evaluate(["--json"])
        let sampled = try evaluate(["--json", "--probe-sample", "60", "--seed", "7"])
        #expect(whole.status == 0 && sampled.status == 0, "\(whole.stderr)\(sampled.stderr)")
        let sampledDocument = try #require(try JSONSerialization.jsonObject(with: sampled.stdoutBytes) as? [String: Any])
        #expect(sampledDocument["probes"] as? Int == 60 && sampledDocument["probe_sample_seed"] as? Int == 7)
        let wholeMetrics = try #require((try JSONSerialization.jsonObject(with: whole.stdoutBytes) as? [String: Any])?["metrics"] as? [[String: Any]])
        let sampledMetrics = try #require(sampledDocument["metrics"] as? [[String: Any]])
        // Fewer probes, other features: the log-likelihood-ratio cost of the same 27 pairs moves.
        #expect(sampledMetrics.first?["pairs"] as? Int == wholeMetrics.first?["pairs"] as? Int)
        #expect(sampledMetrics.first?["cllr"] as? Double != wholeMetrics.first?["cllr"] as? Double)
        let text = try evaluate(["--probe-sample", "60", "--seed", "7"])
        #expect(text.stdout.contains("on 60 of its 300 probes drawn with seed 7"), "\(text.stdout)")
        // The shipped calibration covers 403 probes and 24 panel models: arena-bench-v1 has neither, and says so.
        #expect(text.stdout.contains("would give every pair 'inconclusive' here: 60 probes (it needs 403) and a panel of 5 models (it needs 24)"), "\(text.stdout)")
        #expect((sampledDocument["calibration_supported"] as? [String: Any])?["minimum_panel"] as? Int == 24)
        let refused = try evaluate(["--ridge", "1", "--write", "unused.json"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--write, --ridge"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: (Self.root as NSString).appendingPathComponent("unused.json")))
    }

    @Test("calibrate --reproduce re-fits a calibration from the files it names: byte for byte, or naming the input that changed",
          .enabled(if: release != nil && FileManager.default.fileExists(atPath: arena)))
    func reproduceACalibration() throws {
        let folder = try CLI.temporaryFolder("reproduce")
        let file = folder + "/calibration.json"
        func calibrate(_ recordings: String, _ extra: [String]) throws -> CLI.Output {
            try CLI.run(executable: Self.release ?? "", [
                "calibrate", "--probes", Self.arena, "--pairs", "\(Self.arena)/pairs.json", "--recordings", recordings,
                "--panel", "\(Self.arena)/panel", "--quiet"] + extra, in: Self.root)
        }
        let fit = try calibrate("\(Self.arena)/recordings", ["--write", file, "--probe-sample", "200", "--seed", "11"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let same = try calibrate("\(Self.arena)/recordings", ["--reproduce", file])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("the pairs file and all 13 labelled and 5 panel recordings match the SHA-256 it records"), "\(same.stdout)")
        #expect(same.stdout.contains("re-fitted: byte for byte the same"), "\(same.stdout)")
        // One answer of one labelled student changed in a copy of the recordings: named, and the fit differs.
        let copy = folder + "/recordings"
        try FileManager.default.copyItem(atPath: "\(Self.arena)/recordings", toPath: copy)
        let student = copy + "/vicuna-7b-v1.5.jsonl"
        var lines = try String(contentsOfFile: student, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        first["output"] = "A different answer, written by hand."
        lines[0] = String(decoding: try JSONSerialization.data(withJSONObject: first, options: [.sortedKeys]), as: UTF8.self)
        try lines.joined(separator: "\n").write(toFile: student, atomically: true, encoding: .utf8)
        let changed = try calibrate(copy, ["--reproduce", file, "--json"])
        #expect(changed.status == 1, "\(changed.stderr)")
        #expect(changed.stderr.contains("does not reproduce from these inputs"), "\(changed.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: changed.stdoutBytes) as? [String: Any])
        #expect(document["reproduced"] as? Bool == false)
        let differences = try #require(document["input_differences"] as? [String])
        #expect(differences.count == 1 && differences[0].hasPrefix("labelled recording vicuna-7b-v1.5: sha256"), "\(differences)")
        #expect((document["differing_fields"] as? [String])?.contains("fitted_on") == true)
        // The settings are the file's: an option that would change them is refused.
        let seeded = try calibrate("\(Self.arena)/recordings", ["--reproduce", file, "--seed", "12"])
        #expect(seeded.status == 64 && seeded.stderr.contains("--seed 12 (the file records 11)"), "\(seeded.stderr)")
        let shaped = try calibrate("\(Self.arena)/recordings", ["--reproduce", file, "--ridge", "1"])
        #expect(shaped.status == 64 && shaped.stderr.contains("leave out --ridge"), "\(shaped.stderr)")
    }

    @Test("attribute states how far the first candidate's LR is above the second's, and the calibration's record of such margins",
          .enabled(if: release != nil))
    func rankingMarginAndRecord() throws {
        /// zephyr-7b-beta against `candidates`, in that order.
        func attribute(_ candidates: [String], json: Bool = true) throws -> CLI.Output {
            let output = try CLI.run(executable: Self.release ?? "",
                                     ["attribute", "--student", "\(Self.recordings)/zephyr-7b-beta.jsonl", "--quiet", "--bootstrap", "20",
                                      "--permutations", "20"] + (json ? ["--json"] : []) + candidates.flatMap { ["--candidate", "\(Self.recordings)/\($0).jsonl"] },
                                     in: Self.root)
            #expect(output.status == 0, "\(output.stderr)")
            return output
        }
        func detailsOf(_ output: CLI.Output) throws -> [String: Any] {
            try #require((try JSONSerialization.jsonObject(with: output.stdoutBytes) as? [String: Any])?["details"] as? [String: Any])
        }
        let candidates = ["gpt4_0314", "gpt-3.5-turbo-0301", "claude"]
        let details = try detailsOf(try attribute(candidates))
        let ranking = try #require(details["ranking"] as? [[String: Any]])
        let margin = try #require(details["ranking_margin"] as? [String: Any])
        let lr = ranking.compactMap { $0["log10_likelihood_ratio"] as? Double }
        #expect(margin["first"] as? String == ranking[0]["model"] as? String)
        #expect(margin["second"] as? String == ranking[1]["model"] as? String)
        let factor = try #require(margin["log10_factor"] as? Double)
        #expect(abs(factor - (lr[0] - lr[1])) < 1e-12)
        #expect(margin["close"] as? Bool == (factor < 1))
        // The record covers every distilled student of the shipped calibration once, close or clear, and
        // its firsts add up to the calibration's right-teacher-first count.
        let calibration = try #require(details["calibration"] as? [String: Any])
        let record = try #require(calibration["ranking_record"] as? [String: Any])
        let rates = try #require(calibration["error_rates"] as? [String: Any])
        let close = try #require(record["close_students"] as? Int), clear = try #require(record["clear_students"] as? Int)
        #expect(close + clear == rates["distilled_students"] as? Int)
        #expect((record["close_first"] as? Int ?? -1) + (record["clear_first"] as? Int ?? -1) == rates["right_teacher_first"] as? Int)
        #expect(record["log10_threshold"] as? Double == 1)
        // The candidates given in the opposite order get the same ranking, margin and numbers (score ties go
        // by model name, never by the order on the command line).
        let otherDetails = try detailsOf(try attribute(candidates.reversed()))
        for key in ["ranking", "ranking_margin"] {
            let first = try JSONSerialization.data(withJSONObject: try #require(details[key]), options: [.sortedKeys])
            let second = try JSONSerialization.data(withJSONObject: try #require(otherDetails[key]), options: [.sortedKeys])
            #expect(first == second, "\(key) depends on the order of --candidate")
        }
        // Without --json the summary says it in words.
        let text = try attribute(candidates, json: false)
        let line = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("ranking: ") })
        #expect(line.contains(factor < 1 ? "does not tell these two apart" : "the evidence favours the first"))
        #expect(line.contains("in calibration, firsts this"))
    }

    /// The batch scores only each student's pairs and shares the panel's structure centring; the students
    /// here cover both of its paths: the shared centring (two plain students, and one that is a candidate),
    /// and a panel model as student, whose panel lacks itself and is centred anew.
    @Test("attribute --students gives each student exactly the document of its own single run", .enabled(if: release != nil))
    func batchEqualsSingleRuns() throws {
        let names = ["gpt-3.5-turbo-0301", "text_davinci_003", "llama-2-70b-chat-hf"]
        func candidates(but student: String? = nil) -> [String] {
            names.filter { "\(Self.recordings)/\($0).jsonl" != student }.flatMap { ["--candidate", "\(Self.recordings)/\($0).jsonl"] }
        }
        let options = ["--json", "--quiet", "--bootstrap", "50", "--permutations", "20"]
        let common = options + candidates()
        let students = ["vicuna-13b", "guanaco-33b", "text_davinci_003"].map { "\(Self.recordings)/\($0).jsonl" }
            + ["Probes/alpaca-eval/panel/phi-2.jsonl"]
        let batch = try CLI.run(executable: Self.release ?? "", ["attribute", "--students"] + students + common, in: Self.root)
        #expect(batch.status == 0, "\(batch.stderr)")
        let results = try #require((try JSONSerialization.jsonObject(with: batch.stdoutBytes) as? [String: Any])?["results"] as? [Any])
        #expect(results.count == 4)
        for (k, student) in students.enumerated() {
            // A student that is a candidate is judged as a single run with the other candidates judges it.
            let single = try CLI.run(executable: Self.release ?? "", ["attribute", "--student", student] + options + candidates(but: student),
                                     in: Self.root)
            let one = try JSONSerialization.jsonObject(with: single.stdoutBytes)
            let fromBatch = try JSONSerialization.data(withJSONObject: results[k], options: [.sortedKeys])
            #expect(fromBatch == (try JSONSerialization.data(withJSONObject: one, options: [.sortedKeys])), "\(student)")
        }
    }

    @Test("attribute --students --out writes batch.json (the --json document), ranking.csv and a manifest verify re-runs; a student that is a candidate is ranked among the others", .enabled(if: release != nil))
    func batchFolderVerifies() throws {
        let names = ["gpt-3.5-turbo-0301", "text_davinci_003", "llama-2-70b-chat-hf"]
        let candidates = names.flatMap { ["--candidate", "\(Self.recordings)/\($0).jsonl"] }
        let options = ["--quiet", "--bootstrap", "50", "--permutations", "20"] + candidates
        let students = ["vicuna-13b", "text_davinci_003"].map { "\(Self.recordings)/\($0).jsonl" }
        let out = try CLI.temporaryFolder("batch-out") + "/batch"
        let written = try CLI.run(executable: Self.release ?? "", ["attribute", "--students"] + students + options + ["--json", "--out", out], in: Self.root)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr.contains("text_davinci_003 is itself a candidate; it is ranked among the other 2"))
        #expect(FileManager.default.contents(atPath: out + "/batch.json").map { $0 + Data("\n".utf8) } == written.stdoutBytes)
        // Written a student at a time, the document is the bytes the encoder writes for it whole.
        let details = try #require((try JSONSerialization.jsonObject(with: written.stdoutBytes) as? [String: Any])?["results"] as? [[String: Any]])
        let results = try details.map { try JSONOutput.decode(AttributionResult.self, from: JSONSerialization.data(withJSONObject: $0["details"] ?? [:])) }
        #expect(try BatchDocument(results).data() == JSONOutput.data(BatchDocument(results)))
        #expect(try BatchDocument(results).data() + Data("\n".utf8) == written.stdoutBytes)
        let csv = try String(contentsOfFile: out + "/ranking.csv", encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").dropLast().count == 1 + 3 + 2)
        let verified = try CLI.run(executable: Self.release ?? "", ["verify", out], in: Self.root)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }
}
