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
