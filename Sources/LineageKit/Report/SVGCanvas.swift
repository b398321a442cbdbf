import Foundation

/// A minimal SVG writer for the report's plots: absolute coordinates, every text escaped, numbers at
/// fixed precision so that the same data always gives the same bytes.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let text = String(format: "%.1f", value)
        return text == "-0.0" ? "0.0" : text
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#444",
                       width: Double = 1, dash: String? = nil, opacity: Double = 1) {
        var attributes = "x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\""
        if let dash { attributes += " stroke-dasharray=\"\(dash)\"" }
        if opacity < 1 { attributes += " stroke-opacity=\"\(String(format: "%.2f", opacity))\"" }
        elements.append("<line \(attributes)/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                       title: String? = nil) {
        var element = "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, w)))\" height=\"\(Self.n(max(0, h)))\" fill=\"\(fill)\""
        if let stroke { element += " stroke=\"\(stroke)\"" }
        if let title {
            element += "><title>\(Markup.escape(title))</title></rect>"
        } else {
            element += "/>"
        }
        elements.append(element)
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, stroke: String? = nil, title: String? = nil) {
        var element = "<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(r))\" fill=\"\(fill)\""
        if let stroke { element += " stroke=\"\(stroke)\"" }
        if let title {
            element += "><title>\(Markup.escape(title))</title></circle>"
        } else {
            element += "/>"
        }
        elements.append(element)
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil) {
        guard !points.isEmpty else { return }
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        var element = "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\" points=\"\(list)\""
        if let dash { element += " stroke-dasharray=\"\(dash)\"" }
        elements.append(element + "/>")
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double = 1) {
        guard !points.isEmpty else { return }
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        elements.append("<polygon fill=\"\(fill)\" fill-opacity=\"\(String(format: "%.2f", opacity))\" stroke=\"none\" points=\"\(list)\"/>")
    }

    /// A raster image (a PNG) stretched over a rectangle with its pixels kept square-edged: the dense
    /// part of a large heat map, which would otherwise be one `<rect>` a cell.
    mutating func image(_ x: Double, _ y: Double, _ w: Double, _ h: Double, png: Data) {
        elements.append("<image x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(w))\" height=\"\(Self.n(h))\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(png.base64EncodedString())\"/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ content: String, size: Double = 11, anchor: Anchor = .start,
                       weight: String? = nil, fill: String = "#222", rotate: Double? = nil, halo: Bool = false) {
        var element = "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
        if let weight { element += " font-weight=\"\(weight)\"" }
        // A white outline under the glyphs: a label stays readable where a line runs behind it.
        if halo { element += " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"" }
        if let rotate { element += " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\"" }
        elements.append(element + ">\(Markup.escape(content))</text>")
    }

    /// A `<title>`-labelled document: the title is what screen readers and tooltips show.
    func document(title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Self.n(width)) \(Self.n(height))" width="\(Self.n(width))" height="\(Self.n(height))" font-family="Helvetica, Arial, sans-serif" role="img">
        <title>\(Markup.escape(title))</title>
        <rect x="0" y="0" width="\(Self.n(width))" height="\(Self.n(height))" fill="#ffffff"/>
        \(elements.joined(separator: "\n"))
        </svg>

        """
    }
}

/// A linear map from data to pixels, with "nice" tick values (Heckbert 1990, Graphics Gems).
struct LinearScale {
    var domain: (Double, Double)
    var range: (Double, Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.1 - domain.0
        guard span != 0, value.isFinite else { return (range.0 + range.1) / 2 }
        return range.0 + (value - domain.0) / span * (range.1 - range.0)
    }

    func ticks(_ count: Int = 5) -> [Double] {
        let span = domain.1 - domain.0
        guard span > 0, span.isFinite else { return [domain.0] }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var value = ceil(domain.0 / step) * step
        while value <= domain.1 + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    static func label(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e6 { return String(format: "%.0f", value) }
        if abs(value) >= 0.1 { return String(format: "%.1f", value).replacingOccurrences(of: ".0", with: "") }
        return String(format: "%.2f", value)
    }
}
