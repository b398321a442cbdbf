import Foundation
import LineageKit
import Testing

/// The tools the browser checks need, found on PATH (`make test` installs them as root).
enum Browser {
    static func find(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in names {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static let chromium = ProcessInfo.processInfo.environment["LINEAGE_CHROMIUM"] ?? find(["chromium", "chromium-browser", "google-chrome"])
    static let pdftotext = find(["pdftotext"])
    static let missing = "headless Chromium not found: skipped (apt-get install chromium poppler-utils; make test installs them as root)"

    /// Headless Chromium with `arguments` then the page; root needs --no-sandbox.
    static func run(_ arguments: [String], page: String) throws -> CLI.Output {
        try CLI.run(executable: chromium ?? "chromium",
                    ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"] + arguments
                    + ["file://" + page])
    }

    /// Loads `html` (a file) in a `width` px window with a script that lists every table, figure, code
    /// block and column set reaching past `main`'s right edge or scrolling inside, and the page's own
    /// horizontal overflow; returns that list.
    /// `print`: the page's `@media print` rules applied on screen first (headless Chromium cannot emulate
    /// print media from the command line), for measuring the layout at A4's text width.
    static func overflow(of html: String, width: Int, print: Bool = false) throws -> [String] {
        let script = """
            <script>(function () {
              if (\(print)) {
                var css = "";
                for (var s of document.styleSheets) for (var r of s.cssRules)
                  if (r.media && r.media.mediaText == "print") for (var p of r.cssRules) css += p.cssText + "\\n";
                var style = document.createElement("style"); style.textContent = css; document.head.appendChild(style);
              }
              var problems = [], main = document.querySelector("main") || document.body, edge = main.getBoundingClientRect().right;
              if (document.documentElement.scrollWidth > window.innerWidth) problems.push("page " + document.documentElement.scrollWidth + " px wide");
              document.querySelectorAll("table, figure, svg, pre, .columns").forEach(function (e, i) {
                var r = e.getBoundingClientRect();
                if (r.right > edge + 0.5) problems.push(e.tagName + " #" + i + " ends at " + Math.round(r.right) + " > " + Math.round(edge));
                if (e.tagName == "TABLE" && e.scrollWidth > e.clientWidth + 1) problems.push("TABLE #" + i + " scrolls " + e.scrollWidth + "/" + e.clientWidth);
              });
              var out = document.createElement("pre"); out.id = "layout-check"; out.textContent = JSON.stringify(problems);
              document.body.appendChild(out);
            })();</script>
            """
        let page = try String(contentsOfFile: html, encoding: .utf8).replacingOccurrences(of: "</body>", with: script + "</body>")
        let probe = (html as NSString).deletingPathExtension + "-check-\(width)\(print ? "-print" : "").html"
        try Data(page.utf8).write(to: URL(fileURLWithPath: probe))
        let dom = try run(["--window-size=\(width),900", "--dump-dom"], page: probe).stdout
        guard let start = dom.range(of: "<pre id=\"layout-check\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw CLI.CLIError(description: "Chromium did not run the layout check (no result in the DOM)")
        }
        let json = dom[start.upperBound..<end.lowerBound].replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&gt;", with: ">")
        return (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]) ?? ["unreadable result \(json)"]
    }
}

/// report.html as a reader sees it: within a 1280 px window, printed whole on A4 (issue 20: 1789 px wide,
/// and the identity-claims table lost its last columns on paper). Runs the demo's attribution on the
/// bundled data with `--panel-jackknife`, as `make demo` does (the release binary when `make test` names it).
@Suite("CLI: report.html in a browser and on paper", .serialized)
struct ReportBrowserCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let candidates = ["text_davinci_003", "gpt-3.5-turbo-0301", "gpt4_0314", "gpt4_0613", "claude-2", "claude", "cohere",
                             "gemini-pro", "llama-2-70b-chat-hf", "mistral-medium"]

    static let report: Result<String, Error> = Result {
        let out = try CLI.temporaryFolder("report-browser") + "/demo"
        let recordings = "Probes/alpaca-eval/recordings/"
        let lineage = try ProcessInfo.processInfo.environment["LINEAGE_RELEASE_BIN"] ?? CLI.executable()
        let run = try CLI.run(executable: lineage, ["attribute", "--student", recordings + "vicuna-13b.jsonl"]
                              + candidates.flatMap { ["--candidate", recordings + $0 + ".jsonl"] } + ["--panel-jackknife", "--out", out, "--quiet"],
                              in: repository)
        guard run.status == 0 else { throw CLI.CLIError(description: "attribute --out failed: \(run.stderr)") }
        try run.stdoutBytes.write(to: URL(fileURLWithPath: out + "-summary.txt"))
        return out
    }

    @Test(.enabled(if: Browser.chromium != nil, Comment(rawValue: Browser.missing)))
    func fitsTheWindow() throws {
        let html = try Self.report.get() + "/report.html"
        // 703 px: A4's text width between the print margins (186 mm at 96 px/in), with the print rules.
        for (width, print) in [(1280, false), (703, true)] {
            let problems = try Browser.overflow(of: html, width: width, print: print)
            #expect(problems.isEmpty, "at \(width) px\(print ? ", print rules" : ""): \(problems)")
        }
        // The check itself sees overflow: a page with a table wider than the window.
        let control = (html as NSString).deletingLastPathComponent + "/control.html"
        try Data("<html><body><main><table style=\"width:2000px\"><tr><td>x</td></tr></table></main></body></html>".utf8)
            .write(to: URL(fileURLWithPath: control))
        #expect(try Browser.overflow(of: control, width: 1280).count >= 2)
    }

    @Test(.enabled(if: Browser.chromium != nil && Browser.pdftotext != nil, Comment(rawValue: Browser.missing)))
    func printsWholeOnA4() throws {
        let folder = try Self.report.get()
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        let pdf = folder + "/report.pdf"
        _ = try Browser.run(["--no-pdf-header-footer", "--print-to-pdf=" + pdf], page: folder + "/report.html")
        #expect(FileManager.default.fileExists(atPath: pdf))
        let text = try CLI.run(executable: Browser.pdftotext ?? "pdftotext", [pdf, "-"]).stdout
        let squeezed = text.filter { !$0.isWhitespace }
        // Every word of every table header is on paper: a clipped column loses all of its words.
        let headers = html.components(separatedBy: "<thead><tr>").dropFirst().compactMap { $0.components(separatedBy: "</tr></thead>").first }
        #expect(headers.count >= 5)
        for header in headers {
            let cells = header.components(separatedBy: "<th>").dropFirst().map {
                ($0.components(separatedBy: "</th>").first ?? "").replacingOccurrences(of: "<wbr>", with: "")
                    .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            }
            let missing = cells.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "/" }) }.filter { !squeezed.contains($0) }
            #expect(missing.isEmpty, "table header words not in the printed PDF: \(missing) (table ending in column \(cells.last ?? ""))")
        }
        // The long inputs table is an appendix after everything else.
        let appendix = text.range(of: "Appendix: Inputs and their alignment")
        let limitations = text.range(of: "Limitations")
        #expect(appendix != nil && limitations != nil && limitations!.lowerBound < appendix!.lowerBound)
    }

    @Test("the report says when the student is a labelled student of the calibration and states the LR limits in words")
    func wording() throws {
        let markdown = try String(contentsOfFile: try Self.report.get() + "/report.md", encoding: .utf8)
        let calibration = try Calibration.load(path: Self.repository + "/Probes/alpaca-eval/calibration.json")
        let upper = Int(pow(10, calibration.map.upperBound).rounded())
        for sentence in ["vicuna-13b is itself a labelled student of the calibration",
                         "Not labelled either way in the calibration: vicuna-13b with gpt4\\_0314, gpt4\\_0613",
                         "at most \(upper) times as probable", "calibration-position.svg",
                         "Panel jackknife: each of the 32 panel models left out in turn: gpt-3.5-turbo-0301 stays first in 32 of 32",
                         "| candidate | log10 LR | lowest, without | highest, without | verdict changes |"] {
            #expect(markdown.contains(sentence), "report.md lacks \(sentence.debugDescription)")
        }
        // With 25 distilled and 225 independent pairs the limits are beyond 10:1 both ways, so no verdict of
        // this calibration rests on weak support (the weak wording itself: VerdictWordingTests).
        #expect(!markdown.contains("(weak)"))
        let summary = try String(contentsOfFile: try Self.report.get() + "-summary.txt", encoding: .utf8)
        #expect(summary.contains("vicuna-13b is one of the calibration's labelled students"), "the text summary too")
        // Its labelled pair here with the out-of-sample LR the calibration measured for it, in both.
        let heldOut = try #require(calibration.pairs.first { $0.student == "vicuna-13b" && $0.teacher == "gpt-3.5-turbo-0301" })
        let pair = "gpt-3.5-turbo-0301 (distilled, high) log10 LR \(String(format: "%.2f", heldOut.log10LikelihoodRatio)), \(heldOut.verdict.rawValue)"
        #expect(markdown.contains("Left out of the calibration&#39;s fit (leave one student out), vicuna-13b&#39;s labelled pairs here gave " + pair),
                "report.md: the held-out LR")
        #expect(summary.contains("note: left out of the calibration's fit (leave one student out), vicuna-13b's labelled pairs here gave " + pair),
                "summary: the held-out LR")
        #expect(summary.contains("panel jackknife: each of the 32 panel models left out in turn"), "the summary's jackknife line")
        // Each error rate with its exact 95 % upper bound, in the report and in the summary.
        let all = try #require(calibration.metrics.first { $0.tier == "all" })
        let falseDistilled = String(format: "%.1f %%", 100 * all.falseDistilledUpper95)
        let falseNotDistilled = String(format: "%.1f %%", 100 * all.falseNotDistilledUpper95)
        #expect(markdown.contains("\(all.falseDistilled) of \(all.independentPairs) (at most \(falseDistilled))"))
        #expect(markdown.contains("\(all.falseNotDistilled) of \(all.distilledPairs) (at most \(falseNotDistilled))"))
        #expect(summary.contains("\(all.falseDistilled)/\(all.independentPairs) (at most \(falseDistilled))"))
        // And counted by student, each student once.
        let accused = try #require(all.studentsFalseDistilled), students = try #require(all.independentStudents)
        let byStudent = String(format: "%.1f %%", 100 * (try #require(all.byStudent).falseDistilledUpper95))
        #expect(markdown.contains("\(accused) of \(students) (at most \(byStudent))"), "report.md: false 'distilled' by student")
        #expect(summary.contains("some false 'distilled' \(accused)/\(students) (at most \(byStudent))"), "summary: by student")
        // The rule at other thresholds, the one in use marked, its row the same counts as the error rates above.
        let points = try #require(calibration.operatingPoints)
        let inUse = try #require(points.first { $0.log10LR == 1 })
        #expect(inUse.falseDistilled == all.falseDistilled && inUse.trueDistilled == all.trueDistilled)
        #expect(markdown.contains("LR 10 (log10 1.0), in use | \(inUse.falseDistilled) of \(inUse.independentPairs) (at most \(falseDistilled))"))
        #expect(markdown.contains("LR 100 (log10 2.0) |"))
        // The AUC with its 95 % interval over students.
        let low = try #require(all.aucLow95), high = try #require(all.aucHigh95)
        #expect(markdown.contains("| AUC | \(String(format: "%.3f (%.3f–%.3f)", all.auc, low, high)) |"))
    }

    @Test("matrix.html draws the heat map in the browser, lists every model for the search, and a hostile name stays text",
          .enabled(if: Browser.chromium != nil, Comment(rawValue: Browser.missing)))
    func matrixViewer() throws {
        let folder = try SyntheticCorpus.temporaryFolder("matrix-viewer")
        let teacher = try String(contentsOfFile: folder + "/teacher.jsonl", encoding: .utf8)
            .replacingOccurrences(of: "\"model\": \"teacher\"", with: "\"model\": \"</script><b>x</b>\"")
        try Data(teacher.utf8).write(to: URL(fileURLWithPath: folder + "/hostile.jsonl"))
        let run = try CLI.run(["matrix", "student.jsonl", "teacher.jsonl", "other.jsonl", "hostile.jsonl", "--probes", "probes.jsonl",
                               "--model", "model.lnm", "--quiet", "--tree-bootstrap", "5", "--out", "m"], in: folder)
        try #require(run.status == 0, "\(run.stderr)")
        let dom = try Browser.run(["--window-size=1000,900", "--dump-dom"], page: folder + "/m/matrix.html").stdout
        let canvas = dom.components(separatedBy: "<canvas id=\"map\"").dropFirst().first?.components(separatedBy: ">").first ?? ""
        #expect(canvas.contains("width=\"56\"") && canvas.contains("height=\"56\""), "4 models at 14 px a cell: \(canvas)")
        #expect(dom.components(separatedBy: "<option value=").count - 1 == 4)
        // The hostile name did not end the script early (the options above come from its last lines) and is
        // not in the page as markup.
        let html = try String(contentsOfFile: folder + "/m/matrix.html", encoding: .utf8)
        #expect(!html.contains("</script><b>") && html.contains("\\u003c/script>\\u003cb>"))
    }
}
