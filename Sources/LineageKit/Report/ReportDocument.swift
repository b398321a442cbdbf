import Foundation

/// A report as an ordered list of blocks, rendered to Markdown and to self-contained HTML from the
/// same content so that the two never disagree. Every string is plain text; renderers escape it.
struct ReportDocument {
    struct Excerpt {
        var title: String
        var prompt: String
        var note: String
        /// Labelled answers shown side by side.
        var columns: [(label: String, text: String)]
    }

    enum Block {
        case heading(String)
        /// A heading that starts the appendix: material a reader checks rather than reads, which
        /// prints on a page of its own after everything else.
        case appendix(String)
        case paragraph(String)
        /// The answer, set apart: a one-line verdict and its supporting line.
        case answer(verdict: Verdict?, headline: String, detail: String)
        case table(header: [String], rows: [[String]])
        case bullets([String])
        case figure(file: String, svg: String, caption: String)
        case excerpts([Excerpt])
    }

    var title: String
    var blocks: [Block] = []

    // MARK: Markdown

    func markdown() -> String {
        var out = "# \(md(title))\n"
        for block in blocks {
            out += "\n"
            switch block {
            case .heading(let text):
                out += "## \(md(text))\n"
            case .appendix(let text):
                out += "## Appendix: \(md(text))\n"
            case .paragraph(let text):
                out += "\(md(text))\n"
            case .answer(let verdict, let headline, let detail):
                out += "> **\(md(verdict.map { $0.rawValue.uppercased() + ": " } ?? ""))\(md(headline))**\n>\n> \(md(detail))\n"
            case .table(let header, let rows):
                out += "| " + header.map(cell).joined(separator: " | ") + " |\n"
                out += "|" + String(repeating: "---|", count: header.count) + "\n"
                for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            case .bullets(let items):
                for item in items { out += "- \(md(item))\n" }
            case .figure(let file, _, let caption):
                out += "![\(md(caption))](\(file))\n\n*\(md(caption))*\n"
            case .excerpts(let excerpts):
                for excerpt in excerpts {
                    out += "### \(md(excerpt.title))\n\n**Prompt:** \(md(excerpt.prompt))\n\n*\(md(excerpt.note))*\n"
                    for column in excerpt.columns {
                        out += "\n**\(md(column.label)):**\n\n"
                        out += column.text.split(separator: "\n", omittingEmptySubsequences: false)
                            .map { "> " + Markup.markdownInline(String($0), quotedLine: true) }.joined(separator: "\n") + "\n"
                    }
                    out += "\n"
                }
            }
        }
        return out
    }

    /// Inline Markdown, one line whatever the text held (`Markup.markdownInline`).
    private func md(_ text: String) -> String { Markup.markdownInline(text) }

    private func cell(_ text: String) -> String { md(text) }

    // MARK: HTML

    func html() -> String {
        var body = "<h1>\(Markup.escape(title))</h1>\n"
        for block in blocks {
            switch block {
            case .heading(let text):
                body += "<h2>\(Markup.escape(text))</h2>\n"
            case .appendix(let text):
                body += "<h2 class=\"appendix\">Appendix: \(Markup.escape(text))</h2>\n"
            case .paragraph(let text):
                body += "<p>\(Markup.escape(text))</p>\n"
            case .answer(let verdict, let headline, let detail):
                let kind = verdict?.rawValue ?? "none"
                body += "<div class=\"answer \(kind)\"><div class=\"verdict\">\(verdict.map { Markup.escape($0.rawValue) } ?? "")</div>"
                body += "<div class=\"headline\">\(Markup.escape(headline))</div><div class=\"detail\">\(Markup.escape(detail))</div></div>\n"
            case .table(let header, let rows):
                body += "<table class=\"\(header.count > 7 ? "wide" : "narrow")\">\n<thead><tr>" + header.map { "<th>\(Self.breakable(Markup.escape($0)))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
                // A short token (a number, a verdict) is never broken inside: only long cells wrap anywhere.
                for row in rows {
                    body += "<tr>" + row.map { cell in
                        let whole = cell.count <= 14 && !cell.contains(where: \.isWhitespace)
                        return (whole ? "<td class=\"w\">" : "<td>") + Markup.escape(cell) + "</td>"
                    }.joined() + "</tr>\n"
                }
                body += "</tbody>\n</table>\n"
            case .bullets(let items):
                body += "<ul>\n" + items.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
            case .figure(let file, let svg, let caption):
                body += "<figure>\n\(svg)<figcaption>\(Markup.escape(caption)) <span class=\"file\">(\(Markup.escape(file)))</span></figcaption>\n</figure>\n"
            case .excerpts(let excerpts):
                for excerpt in excerpts {
                    body += "<section class=\"excerpt\"><h3>\(Markup.escape(excerpt.title))</h3>\n"
                    body += "<p class=\"prompt\"><b>Prompt:</b> \(Markup.escape(excerpt.prompt))</p>\n"
                    body += "<p class=\"note\">\(Markup.escape(excerpt.note))</p>\n<div class=\"columns c\(excerpt.columns.count)\">\n"
                    for column in excerpt.columns {
                        body += "<div class=\"column\"><div class=\"label\">\(Markup.escape(column.label))</div><pre>\(Markup.escape(column.text))</pre></div>\n"
                    }
                    body += "</div></section>\n"
                }
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>
        \(Self.css)
        </style>
        </head>
        <body>
        <main>
        \(body)</main>
        </body>
        </html>

        """
    }

    /// Header text that may wrap after a slash ("Gemini/Bard/Google/PaLM/LaMDA") instead of mid-word.
    static func breakable(_ escaped: String) -> String {
        escaped.replacingOccurrences(of: "/", with: "/<wbr>")
    }

    /// Fits a 1280 px window and prints whole on A4: no table is wider than the text column (cells wrap
    /// anywhere, wide tables in a smaller font), figures scale to the column, and on paper the appendix
    /// starts a new page, headings stay with what follows, rows and figures are not cut.
    static let css = """
    *, *::before, *::after { box-sizing: border-box; }
    body { margin: 0; background: #f6f6f4; color: #1d1d1d; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
    main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; overflow-wrap: break-word; }
    h1 { font-size: 26px; margin: 8px 0 16px; }
    h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
    h3 { font-size: 15px; margin: 18px 0 4px; }
    p { margin: 6px 0 10px; max-width: 860px; }
    .answer { border-left: 8px solid #888; background: #f4f4f4; padding: 12px 18px; margin: 12px 0 16px; }
    .answer.distilled { border-color: #c0392b; background: #fbeeec; }
    .answer.not-distilled { border-color: #2c6fbb; background: #edf3fa; }
    .answer.inconclusive { border-color: #b7950b; background: #fbf7e6; }
    .answer .verdict { font-size: 13px; text-transform: uppercase; letter-spacing: 0.08em; font-weight: 700; color: #555; }
    .answer .headline { font-size: 20px; font-weight: 600; margin: 2px 0 4px; }
    .answer .detail { color: #333; }
    table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; max-width: 100%; }
    table.wide { width: 100%; font-size: 12px; }
    th, td { border-bottom: 1px solid #e2e2e2; padding: 4px 8px; text-align: left; vertical-align: top; }
    td { overflow-wrap: anywhere; }
    td.w { overflow-wrap: normal; white-space: nowrap; }
    th { overflow-wrap: normal; }
    table.wide th, table.wide td { padding: 3px 5px; }
    th { background: #f0f0ee; font-weight: 600; }
    td { font-variant-numeric: tabular-nums; }
    figure { margin: 12px 0 20px; }
    figure svg { max-width: 100%; height: auto; border: 1px solid #e6e6e6; }
    figcaption { font-size: 13px; color: #555; max-width: 860px; }
    figcaption .file { color: #999; }
    .excerpt { border-top: 1px dashed #ccc; margin-top: 14px; }
    .excerpt .prompt { background: #f4f4f0; padding: 6px 10px; }
    .excerpt .note { font-size: 13px; color: #666; }
    .columns { display: grid; gap: 10px; }
    .columns.c2 { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
    .columns.c3 { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(0, 1fr); }
    .column .label { font-weight: 600; font-size: 13px; margin-bottom: 2px; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; font: 12.5px/1.45 ui-monospace, Menlo, Consolas, monospace; background: #fafafa; border: 1px solid #e6e6e6; padding: 8px; margin: 0; max-height: 420px; overflow: auto; }
    ul { margin: 4px 0 12px; }
    h2.appendix { margin-top: 48px; }
    @page { size: A4; margin: 14mm 12mm; }
    @media print {
      body { background: #fff; font-size: 11pt; }
      main { max-width: none; padding: 0; }
      h2 { break-after: avoid; }
      h2.appendix { break-before: page; margin-top: 0; }
      table { font-size: 9pt; }
      table.wide { font-size: 7.5pt; }
      tr, figure, .answer { break-inside: avoid; }
      pre { max-height: none; overflow: visible; font-size: 8pt; }
      figure svg { border: none; }
    }
    """
}
