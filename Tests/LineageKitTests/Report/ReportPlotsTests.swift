import Foundation
import Testing
@testable import LineageKit

@Suite("Report: plots for many models, robust axes, legends")
struct ReportPlotsTests {
    /// A matrix report of `n` models in `groups` planted clusters (no tensor: the matrices directly).
    static func report(models n: Int, groups: Int = 12) -> MatrixReport {
        var generator = SeededGenerator(seed: 5)
        let names = (0..<n).map { "model-\($0)-with-a-longish-name" }
        var cosine = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                let base = i == j ? 1 : (i % groups == j % groups ? 0.6 : 0.3)
                let value = i == j ? 1 : base + Double(generator.index(below: 1000)) / 20_000
                cosine[i][j] = value
                cosine[j][i] = value
            }
        }
        var tree = LineageTree.upgma(distances: cosine.map { $0.map { 1 - $0 } }, names: names)
        tree.setSupport(from: [tree, tree])
        return MatrixReport(models: names, sources: names.map { $0 + ".jsonl" },
                            labels: RecordingLabels(models: names, sources: names.map { $0 + ".jsonl" },
                                                    sha256s: [String](repeating: "", count: n)),
                            meanCosine: cosine, impostorScore: cosine.map { $0.map { _ in .nan } },
                            probesCompared: cosine.map { $0.map { _ in 10 } }, tree: tree, resamples: 2, seed: 1)
    }

    static func height(_ svg: String) -> Double {
        guard let range = svg.range(of: "height=\""), let end = svg[range.upperBound...].firstIndex(of: "\"") else { return .nan }
        return Double(svg[range.upperBound..<end]) ?? .nan
    }

    @Test("a heat map of 300 models is one embedded PNG, small, with a colour bar and legible labels only")
    func largeHeatmap() {
        let svg = Self.report(models: 300).heatmap()
        #expect(svg.utf8.count < 1_000_000, "\(svg.utf8.count) bytes")
        #expect(svg.contains("<image ") && svg.contains("data:image/png;base64,"))
        #expect(!svg.contains("<title>model-0"), "no per-cell rectangles")
        #expect(svg.contains("a model with itself"), "colour bar legend")
        let labels = svg.components(separatedBy: "-with-a-longish-name").count - 1
        #expect(labels < 2 * 300, "every k-th label only: \(labels)")
        #expect(!svg.contains("font-size=\"3.0\"") && !svg.contains("font-size=\"4.0\""))
        #expect(Self.height(svg) < 2000)
    }

    @Test("a small heat map keeps per-cell rectangles, values and a colour bar")
    func smallHeatmap() {
        let svg = Self.report(models: 8, groups: 3).heatmap()
        #expect(!svg.contains("<image "))
        #expect(svg.contains("<title>model-0-with-a-longish-name – model-1-with-a-longish-name"))
        #expect(svg.contains("a model with itself") && svg.contains("student (row)"))
    }

    @Test("a tree of 300 models stays under 2,600 px with support labels that do not overlap, and a legend")
    func largeTree() throws {
        let svg = Self.report(models: 300).dendrogram()
        #expect(Self.height(svg) < 2_600)
        #expect(svg.contains("bootstrap resamples over probes that rebuild the clade"))
        // Support labels: text elements whose content is a bare integer, with their box.
        let pattern = try NSRegularExpression(pattern: "<text x=\"([0-9.]+)\" y=\"([0-9.]+)\" font-size=\"([0-9.]+)\" text-anchor=\"end\"[^>]*>([0-9]+)</text>")
        let matches = pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg))
        let boxes = matches.map { m -> (Double, Double, Double, Double) in
            func value(_ k: Int) -> Double { Double((svg as NSString).substring(with: m.range(at: k))) ?? 0 }
            let size = value(3), width = Double((svg as NSString).substring(with: m.range(at: 4)).count) * size * 0.6
            return (value(1) - width, value(2) - size, value(1), value(2))
        }
        #expect(!boxes.isEmpty)
        for a in boxes.indices {
            for b in boxes.indices where b > a {
                let (p, q) = (boxes[a], boxes[b])
                let overlap = p.0 < q.2 && q.0 < p.2 && p.1 < q.3 && q.1 < p.3
                #expect(!overlap, "support labels overlap at \(p) and \(q)")
                if overlap { return }
            }
        }
    }

    @Test("the robust range leaves out one far outlier and keeps the bulk")
    func robustRange() {
        let bulk = (0..<31).map { -1.5 + Double($0) / 10 }
        let (low, high) = ReportPlots.robustRange(bulk + [-6.1])
        #expect(low == -1.5 && abs(high - 1.5) < 1e-9)
        #expect(ReportPlots.robustRange([1, 2, 3]) == (1, 3))
        #expect(ReportPlots.robustRange([]) == (0, 0))
    }

    @Test("PNG: signature, chunk CRCs and the zlib checksum are those of the specification")
    func png() {
        #expect(PNGImage.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGImage.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        var image = PNGImage(width: 2, height: 1)
        image.set(1, 0, rgb: (1, 2, 3))
        let bytes = [UInt8](image.data())
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(bytes[12..<16]) == Array("IHDR".utf8))
        #expect(Array(bytes[16..<24]) == [0, 0, 0, 2, 0, 0, 0, 1])
        let iend: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        #expect(Array(bytes.suffix(12)) == iend)
    }

    @Test("this case among the calibration's pairs: a row for each label, the case's lines, a legend")
    func calibrationPosition() {
        let pairs = (0..<20).map { (k: Int) -> CalibratedPair in
            let score: Double = k < 4 ? 3 + Double(k) / 4 : Double(k) / 10 - 1
            return CalibratedPair(student: "s\(k % 4)", teacher: "t\(k)", distilled: k < 4, score: score,
                                  log10LikelihoodRatio: 0, features: [score], pValueHolm: 1, verdict: .inconclusive)
        }
        let svg = ReportPlots.calibrationPosition(pairs, current: [("teacher-x", 2.5)])
        #expect(svg.contains("distilled (4)") && svg.contains("independent (16)"))
        #expect(svg.contains("teacher-x (2.50)"))
        #expect(svg.contains("a labelled distilled pair") && svg.contains("this case&#39;s candidates"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 20 + 2)
        #expect(ReportPlots.calibrationPosition([], current: []).contains("No calibration"))
    }
}
