import Foundation

/// A plot's legend: swatches and labels laid out left to right from a starting point, wrapping to a new
/// line on request. Every plot says what its marks mean (issue 20: ranking.svg did not say what black
/// and blue dots were). Widths are estimated from the label length (the SVG is never measured).
struct Legend {
    var x: Double
    var y: Double
    let start: Double
    var lineHeight = 16.0
    /// Where an entry that would run past this starts a new line instead.
    let maxX: Double

    init(x: Double, y: Double, maxX: Double = 705) {
        self.x = x
        self.y = y
        self.start = x
        self.maxX = maxX
    }

    /// Starts a new line when an entry `offset + label` wide would not fit on this one.
    private mutating func place(offset: Double, _ label: String) {
        if x > start, x + offset + Self.width(label) > maxX { newLine() }
    }

    mutating func dot(_ canvas: inout SVGCanvas, colour: String, _ label: String) {
        place(offset: 16, label)
        canvas.circle(x + 6, y - 4, r: 4.5, fill: colour)
        text(&canvas, offset: 16, label)
    }

    mutating func bar(_ canvas: inout SVGCanvas, colour: String, _ label: String) {
        place(offset: 14, label)
        canvas.rect(x + 5, y - 11, 2, 14, fill: colour)
        text(&canvas, offset: 14, label)
    }

    mutating func line(_ canvas: inout SVGCanvas, colour: String, dash: String? = nil, _ label: String) {
        place(offset: 28, label)
        canvas.line(x, y - 4, x + 22, y - 4, stroke: colour, width: 2, dash: dash)
        text(&canvas, offset: 28, label)
    }

    mutating func triangle(_ canvas: inout SVGCanvas, colour: String, _ label: String) {
        place(offset: 14, label)
        canvas.polygon([(x, y - 4), (x + 6, y - 9), (x + 6, y + 1)], fill: colour, opacity: 0.9)
        text(&canvas, offset: 14, label)
    }

    /// A swatch-free note (units, what a number means).
    mutating func note(_ canvas: inout SVGCanvas, _ label: String, colour: String = "#222", weight: String? = nil) {
        place(offset: 0, label)
        canvas.text(x, y, label, size: 11, weight: weight, fill: colour)
        x += Self.width(label) + 18
    }

    mutating func newLine() {
        x = start
        y += lineHeight
    }

    private mutating func text(_ canvas: inout SVGCanvas, offset: Double, _ label: String) {
        canvas.text(x + offset, y, label, size: 11)
        x += offset + Self.width(label) + 18
    }

    /// About 6 px a character at 11 px Helvetica.
    static func width(_ label: String) -> Double { Double(label.count) * 6 }
}
