import Testing
@testable import LineageKit

@Suite("Report: escaping and number formatting")
struct MarkupTests {
    @Test("the five markup characters and control characters are escaped")
    func escape() {
        #expect(Markup.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(Markup.escape("a & b \"c\" 'd'") == "a &amp; b &quot;c&quot; &#39;d&#39;")
        #expect(Markup.escape("tab\tline\nbell\u{07}") == "tab\tline\nbell\u{FFFD}")
        #expect(Markup.escape("ünïcödé ✓ 中文") == "ünïcödé ✓ 中文")
    }

    @Test("Markdown escapes leave HTML entities whole: an apostrophe shows as one, not as \"&\\#39;\"")
    func markdownKeepsEntities() {
        let document = ReportDocument(title: "it's #1 <b>", blocks: [.paragraph("the 'ranking' | *bold* & [link]")])
        let markdown = document.markdown()
        #expect(markdown.hasPrefix("# it&#39;s \\#1 &lt;b&gt;\n"))
        #expect(markdown.contains("the &#39;ranking&#39; \\| \\*bold\\* &amp; \\[link\\]"))
        #expect(!markdown.contains("&\\#"))
    }

    @Test("excerpts are cut near a word boundary and marked")
    func excerpt() {
        #expect(Markup.excerpt("short", limit: 10) == "short")
        let long = String(repeating: "word ", count: 50)
        let cut = Markup.excerpt(long, limit: 42)
        #expect(cut.hasSuffix(" …"))
        #expect(cut.count <= 44)
    }

    @Test("SVG text is escaped")
    func svgText() {
        var canvas = SVGCanvas(width: 10, height: 10)
        canvas.text(0, 0, "<b>&")
        let svg = canvas.document(title: "t<")
        #expect(svg.contains("&lt;b&gt;&amp;"))
        #expect(svg.contains("<title>t&lt;</title>"))
    }
}

/// Model-supplied text in CSV and Markdown goes through one neutraliser per format (issue 19:
/// `=HYPERLINK(…)` ran as a formula, a newline in a model name started a Markdown block of its own).
@Suite("Report: CSV and Markdown neutralising")
struct NeutralisingTests {
    @Test(arguments: [("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
                      ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
                      ("\rx", "\"'\rx\""), ("a,b", "\"a,b\""), ("line\nbreak", "\"line\nbreak\""),
                      ("plain-name_1.0", "plain-name_1.0"), ("", "")])
    func csvCells(_ text: String, _ expected: String) {
        #expect(CSVField.text(text) == expected)
    }

    @Test("a matrix CSV never starts a label cell with a formula character")
    func matrixCSV() {
        let csv = MatrixReport.csv(["=cmd|' /C calc'!A0", "ok"], [[1, -0.5], [-0.5, 1]], digits: 2)
        #expect(csv == "model,'=cmd|' /C calc'!A0,ok\r\n'=cmd|' /C calc'!A0,1.00,-0.50\r\nok,-0.50,1.00\r\n", "\(csv)")
    }

    @Test("inline Markdown stays on one line and opens no block")
    func markdownInline() {
        #expect(Markup.markdownInline("a\n# heading\r\n> quote\u{2028}b") == "a \\# heading  &gt; quote b")
        #expect(Markup.markdownInline("- item") == "\\- item")
        #expect(Markup.markdownInline("1. item") == "1\\. item")
        #expect(Markup.markdownInline("    code") == "code")
        #expect(Markup.markdownInline("3.5 probes and -0.2") == "3.5 probes and -0.2")
        #expect(Markup.markdownInline("~~~fence") == "\\~\\~\\~fence")
        let document = ReportDocument(title: "t", blocks: [.heading("name\n## Verdict: DISTILLED"),
                                                          .table(header: ["model"], rows: [["a\nb|c"]])])
        let markdown = document.markdown()
        #expect(!markdown.contains("\n## Verdict"), "\(markdown)")
        #expect(markdown.contains("## name \\#\\# Verdict: DISTILLED\n"))
        #expect(markdown.contains("| a b\\|c |"))
    }
}
