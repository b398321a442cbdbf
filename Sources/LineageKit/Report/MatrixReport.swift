import Foundation

/// The many-model view: N×N mean-cosine and impostor-score matrices, a heatmap ordered by the lineage
/// tree, and the tree itself (Newick and SVG) with bootstrap support over probes.
public struct MatrixReport: Sendable {
    /// The folder's JSON document (also what `matrix --json --out` prints).
    public static let jsonFile = "matrix.json"

    /// The recordings' own model names, which may repeat.
    public var models: [String]
    public var sources: [String]
    /// Unique row, column and leaf labels (`RecordingLabels`): the model names unless recordings share one.
    public var labels: RecordingLabels
    /// Mean per-probe cosine over the probes both answered, clamped to [−1, 1] (the grid-rounded embeddings
    /// can give 1 + ~10⁻⁵; see `SimilarityMatrix.means`). The diagonal is a model's mean cosine with itself,
    /// computed and clamped like every other cell, so that an identical copy of a recording agrees with it
    /// exactly (1 for a model with no answer).
    public var meanCosine: [[Double]]
    /// Row model as student, column model as candidate, every other model as the panel (NaN on the
    /// diagonal and where fewer than two panel models remain).
    public var impostorScore: [[Double]]
    public var probesCompared: [[Int]]
    public var tree: LineageTree
    public var resamples: Int
    public var seed: UInt64

    /// - Parameters: `tensor`: per-probe cosines of the models; resampling is over probes. `sha256s`: the
    ///   recordings' hashes, to note identical files (empty: not compared).
    public static func compute(tensor: ProbeSimilarityTensor, models: [String], sources: [String],
                               sha256s: [String] = [], resamples: Int, seed: UInt64,
                               progress: (@Sendable (String) -> Void)? = nil) -> MatrixReport {
        let n = models.count
        let labels = RecordingLabels(models: models, sources: sources,
                                     sha256s: sha256s.count == n ? sha256s : [String](repeating: "", count: n))
        /// Means as shown and clustered: clamped to [-1, 1] (grid-rounded rows, `SimilarityMatrix.means`),
        /// 1 on the diagonal of a model without answers.
        @Sendable func shown(_ means: [[Double]]) -> [[Double]] {
            means.enumerated().map { i, row in
                row.enumerated().map { j, mean in mean.isFinite ? EmbeddingGrid.clampedCosine(mean) : (i == j ? 1 : mean) }
            }
        }
        @Sendable func distances(_ m: [[Double]]) -> [[Double]] {
            m.map { row in row.map { $0.isFinite ? 1 - $0 : 2 } }
        }
        let raw = tensor.meanCosines(multiplicities: [Int](repeating: 1, count: tensor.probes))
        let cosine = shown(raw)
        // Each pair's impostor score, with every other model as the panel (`ImpostorScore.compute`'s score, on
        // the unclamped means), from the mean cosines above: row i's means are shared by all its candidates,
        // so this is O(N³) instead of O(N³·P). A pair that shares no probe has no score (NaN), like the diagonal.
        var score = [[Double]](repeating: [Double](repeating: .nan, count: n), count: n)
        if n >= 4 {
            for i in 0..<n {
                for j in 0..<n where j != i && raw[i][j].isFinite {
                    let panel = (0..<n).filter { $0 != i && $0 != j }.map { raw[i][$0] }.filter(\.isFinite)
                    score[i][j] = ImpostorScore.score(raw[i][j], panelMeans: panel)
                }
            }
        }
        let compared = (0..<n).map { i in (0..<n).map { j in tensor.comparableProbes(i, j).count } }
        var tree = LineageTree.upgma(distances: distances(cosine), names: labels.labels)
        // Resamples drawn in order from the one seeded generator, then their trees built on all cores.
        var generator = SeededGenerator(seed: seed)
        let draws = (0..<max(0, resamples)).map { _ in
            var drawn = [Int](repeating: 0, count: tensor.probes)
            for _ in 0..<tensor.probes { drawn[generator.index(below: max(tensor.probes, 1))] += 1 }
            return drawn
        }
        progress?("tree bootstrap: \(draws.count) resamples")
        let names = labels.labels
        let trees = ParallelWork.map(jobs: draws.count, threads: ProcessInfo.processInfo.activeProcessorCount) { r in
            LineageTree.upgma(distances: distances(shown(tensor.meanCosines(multiplicities: draws[r]))), names: names)
        }
        tree.setSupport(from: trees)
        return MatrixReport(models: models, sources: sources, labels: labels, meanCosine: cosine, impostorScore: score,
                            probesCompared: compared, tree: tree, resamples: resamples, seed: seed)
    }

    // MARK: Files

    /// A square matrix as CSV (RFC 4180, like every CSV Lineage writes): a header of the models, then one
    /// row per model.
    static func csv(_ models: [String], _ values: [[Double]], digits: Int) -> String {
        CSVTable(header: ["model"] + models, rows: values.enumerated().map { i, row in
            [.text(models[i])] + row.map { .number($0, digits: digits) }
        }).text()
    }

    /// `pairs.csv`: every ordered pair in long form (`PairsTable`), the shown (clamped) mean cosines.
    public func pairsTable() -> CSVTable {
        PairsTable.table(labels: labels.labels, sources: sources,
                         scores: impostorScore.map { $0.map { $0.isFinite ? $0 : nil } },
                         meanCosine: meanCosine.map { $0.map { $0.isFinite ? $0 : nil } }, probesCompared: probesCompared)
    }

    struct Document: Encodable {
        /// The recordings' own names; `labels` name the rows, columns, leaves and clade members.
        let models: [String]
        let labels: [String]
        let sources: [String]
        let duplicateModels: [RecordingLabels.SharedName]
        let identicalFiles: [RecordingLabels.IdenticalFiles]
        let meanCosine: [[Double]]
        let impostorScore: [[Double?]]
        let probesCompared: [[Int]]
        let newick: String
        let leafOrder: [String]
        let clades: [Clade]
        let bootstrapResamples: Int
        let seed: UInt64
        let embeddingModel: EmbeddingReference

        struct Clade: Encodable {
            let models: [String]
            let height: Double
            let support: Double?
        }

        enum CodingKeys: String, CodingKey {
            case models, labels, sources, duplicateModels = "duplicate_models", identicalFiles = "identical_files"
            case meanCosine = "mean_cosine", impostorScore = "impostor_score"
            case probesCompared = "probes_compared", newick, leafOrder = "leaf_order", clades
            case bootstrapResamples = "bootstrap_resamples", seed, embeddingModel = "embedding_model"
        }
    }

    func files(embedding: EmbeddingReference) throws -> [(String, Data)] {
        let names = labels.labels
        let document = Document(
            models: models, labels: names, sources: sources,
            duplicateModels: labels.sharedNames, identicalFiles: labels.identicalFiles,
            meanCosine: meanCosine,
            impostorScore: impostorScore.map { $0.map { $0.isFinite ? $0 : nil } }, probesCompared: probesCompared,
            newick: tree.newick(), leafOrder: tree.leafOrder.map { names[$0] },
            clades: tree.nodes.filter { $0.leaf == nil }.map {
                Document.Clade(models: $0.members.map { names[$0] }, height: $0.height, support: $0.support)
            },
            bootstrapResamples: resamples, seed: seed, embeddingModel: embedding)
        return [
            (Self.jsonFile, try JSONOutput.data(document)),
            (PairsTable.file, Data(pairsTable().text().utf8)),
            ("mean-cosine.csv", Data(Self.csv(names, meanCosine, digits: 6).utf8)),
            ("impostor-score.csv", Data(Self.csv(names, impostorScore, digits: 4).utf8)),
            ("heatmap.svg", Data(heatmap().utf8)),
            ("tree.nwk", Data((tree.newick() + "\n").utf8)),
            ("tree.svg", Data(dendrogram().utf8)),
            (MatrixViewer.file, Data(MatrixViewer.page(labels: names, order: tree.leafOrder, meanCosine: meanCosine,
                                                      resamples: resamples).utf8)),
        ]
    }

    // MARK: Plots

    /// Above this many models the heat map's cells are one embedded PNG (a pixel a cell) instead of a
    /// `<rect>` each, and cells carry no tooltip: the file stays small and opens quickly.
    static let rasterHeatmapAbove = 60

    /// Mean-cosine heatmap with rows and columns in the tree's leaf order (clustered: related models sit
    /// together), a colour bar, and values written in the cells while they are large enough to read.
    /// Large N: cells shrink to keep the plot within about 1400 px, labels shrink with them and, below a
    /// legible size, only every k-th is written.
    func heatmap() -> String {
        let order = tree.leafOrder
        let n = order.count
        let cell = n <= 12 ? 44.0 : (n <= 24 ? 32.0 : (n <= Self.rasterHeatmapAbove ? 18.0 : max(3, min(12, 1400 / Double(n)))))
        let fontSize = min(11, max(7, cell - 1))
        let labelEvery = cell >= 7 ? 1 : Int((7 / cell).rounded(.up))
        let models = labels.labels
        let shown = RecordingLabels.shortened(models) { Markup.excerpt($0, limit: 28) }
        let longest = models.map(\.count).max() ?? 4
        let labelWidth = fontSize * 0.72 * Double(shown == models ? longest : min(28, longest)) + 20
        let left = labelWidth + 18, top = labelWidth
        let side = cell * Double(n)
        var canvas = SVGCanvas(width: max(left + side + 30, 460), height: top + side + 100)
        canvas.text(12, 22, "Mean per-probe cosine, ordered by the lineage tree", size: 13, weight: "bold")
        let offDiagonal = (0..<n).flatMap { i in (0..<n).filter { $0 != i }.map { meanCosine[order[i]][order[$0]] } }.filter(\.isFinite)
        let low = offDiagonal.min() ?? 0, high = offDiagonal.max() ?? 1
        func rgb(_ value: Double) -> (UInt8, UInt8, UInt8) {
            guard value.isFinite else { return (0xdd, 0xdd, 0xdd) }
            let t = high > low ? min(1, max(0, (value - low) / (high - low))) : 0.5
            // White to dark blue.
            return (UInt8((1 - t) * 255 + t * 16), UInt8((1 - t) * 255 + t * 62), UInt8((1 - t) * 255 + t * 138))
        }
        func colour(_ value: Double) -> String {
            let c = rgb(value)
            return String(format: "#%02x%02x%02x", c.0, c.1, c.2)
        }
        let diagonal: (UInt8, UInt8, UInt8) = (0xf0, 0xf0, 0xf0)
        for (row, i) in order.enumerated() where row % labelEvery == 0 {
            let name = shown[i]
            canvas.text(left - 6, top + cell * (Double(row) + 0.5) + fontSize * 0.35, name, size: fontSize, anchor: .end)
            canvas.text(left + cell * (Double(row) + 0.5) + fontSize * 0.35, top - 6, name, size: fontSize, anchor: .start, rotate: -60)
        }
        canvas.text(12, top + side / 2, "student (row)", size: 11, anchor: .middle, rotate: -90)
        if n > Self.rasterHeatmapAbove {
            var image = PNGImage(width: n, height: n)
            for (row, i) in order.enumerated() {
                for (column, j) in order.enumerated() { image.set(column, row, rgb: i == j ? diagonal : rgb(meanCosine[i][j])) }
            }
            canvas.image(left, top, side, side, png: image.data())
        } else {
            for (row, i) in order.enumerated() {
                for (column, j) in order.enumerated() {
                    let value = meanCosine[i][j]
                    canvas.rect(left + cell * Double(column), top + cell * Double(row), cell, cell,
                                fill: i == j ? "#f0f0f0" : colour(value),
                                title: "\(models[i]) – \(models[j]): \(Markup.number(value, 3))")
                    if cell >= 30, i != j {
                        let t = high > low ? (value - low) / (high - low) : 0.5
                        canvas.text(left + cell * (Double(column) + 0.5), top + cell * (Double(row) + 0.5) + 3,
                                    String(format: "%.2f", value).replacingOccurrences(of: "0.", with: "."),
                                    size: 9, anchor: .middle, fill: t > 0.55 ? "#ffffff" : "#222222")
                    }
                }
            }
        }
        // Colour bar: the off-diagonal range, white to dark blue, with its ends and middle labelled.
        let barTop = top + side + 16, barLeft = left, barWidth = min(320, max(200, side)), steps = 32
        for k in 0..<steps {
            let value = low + (high - low) * (Double(k) + 0.5) / Double(steps)
            canvas.rect(barLeft + barWidth * Double(k) / Double(steps), barTop, barWidth / Double(steps) + 0.3, 12, fill: colour(value))
        }
        canvas.rect(barLeft, barTop, barWidth, 12, fill: "none", stroke: "#999999")
        for (k, value) in [low, (low + high) / 2, high].enumerated() {
            let tx = barLeft + barWidth * Double(k) / 2
            canvas.line(tx, barTop + 12, tx, barTop + 16, stroke: "#333")
            canvas.text(tx, barTop + 27, Markup.number(value, 3), size: 10, anchor: .middle)
        }
        canvas.rect(barLeft + barWidth + 24, barTop, 12, 12, fill: "#f0f0f0", stroke: "#999999")
        canvas.text(barLeft + barWidth + 42, barTop + 10, "a model with itself", size: 10)
        canvas.text(barLeft, barTop + 44, "mean per-probe cosine (colour: the off-diagonal range; rows and columns: models in the tree's leaf order"
                    + (labelEvery > 1 ? ", every \(labelEvery)th labelled)" : ")"), size: 11)
        return canvas.document(title: "mean per-probe cosine heatmap")
    }

    /// Dendrogram: leaves on the right, root on the left, x = merge distance (1 − mean cosine), with
    /// each internal branch's bootstrap support in percent where there is room to print it. Large N:
    /// rows shrink so the tree stays within about 2400 px, labels shrink with them (and below a legible
    /// size only every k-th is written), and a support value is printed only where it overlaps none
    /// already written (larger clades first; issue 20: 227 models gave colliding numbers).
    func dendrogram() -> String {
        let order = tree.leafOrder
        let n = order.count
        let row = n <= 60 ? 24.0 : max(3, min(24, 2400 / Double(n)))
        let fontSize = min(11, max(7, row - 1.5))
        let labelEvery = row >= 7 ? 1 : Int((7 / row).rounded(.up))
        let models = labels.labels
        let labelWidth = fontSize * 0.68 * Double(min(32, models.map(\.count).max() ?? 4)) + 20
        let left = 30.0, top = 50.0
        let plotWidth = 520.0
        var canvas = SVGCanvas(width: max(left + plotWidth + labelWidth + 20, 720), height: top + row * Double(n) + 96)
        canvas.text(12, 22, "Lineage tree: average linkage (UPGMA) on 1 − mean cosine; branch labels: bootstrap support over probes (\(resamples) resamples)", size: 12, weight: "bold")
        guard n > 0 else { return canvas.document(title: "lineage tree") }
        let maxHeight = max(tree.nodes[tree.root].height, 1e-6)
        let x = LinearScale(domain: (maxHeight * 1.05, 0), range: (left, left + plotWidth))
        var yOf: [Int: Double] = [:]
        for (k, leaf) in order.enumerated() { yOf[leaf] = top + row * (Double(k) + 0.5) }
        var rankOf: [Int: Int] = [:]
        for (k, leaf) in order.enumerated() { rankOf[leaf] = k }
        func y(_ id: Int) -> Double {
            let node = tree.nodes[id]
            if let leaf = node.leaf { return yOf[leaf] ?? top }
            let ys = node.children.map(y)
            return ((ys.min() ?? top) + (ys.max() ?? top)) / 2
        }
        let supportSize = min(10, max(7, row - 2))
        var supportLabels: [(x: Double, y: Double, members: Int, support: Double)] = []
        func draw(_ id: Int) {
            let node = tree.nodes[id]
            let ny = y(id)
            if let leaf = node.leaf {
                if (rankOf[leaf] ?? 0) % labelEvery == 0 {
                    canvas.text(x(0) + 6, ny + fontSize * 0.35, models[leaf], size: fontSize)
                }
                return
            }
            let ys = node.children.map(y)
            canvas.line(x(node.height), ys.min() ?? ny, x(node.height), ys.max() ?? ny, stroke: "#333", width: row >= 8 ? 1.5 : 1)
            for (child, cy) in zip(node.children, ys) {
                canvas.line(x(node.height), cy, x(tree.nodes[child].height), cy, stroke: "#333", width: row >= 8 ? 1.5 : 1)
                draw(child)
            }
            if let support = node.support {
                supportLabels.append((x: x(node.height) - 3, y: ny - 4, members: node.members.count, support: support))
            }
        }
        draw(tree.root)
        // Support values, larger clades first, each only where it overlaps no value already written.
        var placed: [(Double, Double, Double, Double)] = []
        var supportHidden = false
        for label in supportLabels.sorted(by: { ($0.members, $1.y) > ($1.members, $0.y) }) {
            let text = String(format: "%.0f", label.support * 100)
            let box = (label.x - Double(text.count) * supportSize * 0.6 - 1, label.y - supportSize, label.x + 1, label.y + 1)
            if placed.contains(where: { box.0 < $0.2 && $0.0 < box.2 && box.1 < $0.3 && $0.1 < box.3 }) {
                supportHidden = true
                continue
            }
            placed.append(box)
            let strong = label.support >= 0.7
            canvas.text(label.x, label.y, text, size: supportSize, anchor: .end,
                        weight: strong ? "bold" : nil, fill: strong ? "#c0392b" : "#777777")
        }
        let axisY = top + row * Double(n) + 10
        canvas.line(left, axisY, left + plotWidth, axisY, stroke: "#333")
        for tick in LinearScale(domain: (0, maxHeight * 1.05), range: (0, 1)).ticks(5) {
            canvas.line(x(tick), axisY, x(tick), axisY + 4, stroke: "#333")
            canvas.text(x(tick), axisY + 16, String(format: "%.3f", tick * 2), size: 10, anchor: .middle)
        }
        canvas.text(left + plotWidth / 2, axisY + 34, "distance at merge (1 − mean cosine)", size: 11, anchor: .middle)
        var legend = Legend(x: left, y: axisY + 58, maxX: canvas.width - 10)
        legend.note(&canvas, "branch label: % of \(resamples) bootstrap resamples over probes that rebuild the clade —")
        legend.note(&canvas, "≥ 70", colour: "#c0392b", weight: "bold")
        legend.note(&canvas, "< 70", colour: "#777777")
        if supportHidden || labelEvery > 1 {
            legend.newLine()
            legend.note(&canvas, (labelEvery > 1 ? "every \(labelEvery)th leaf labelled; " : "") + "support printed where the clade leaves room (all values in matrix.json)")
        }
        return canvas.document(title: "lineage tree")
    }
}

/// Runs a `matrix` invocation and writes its folder with a manifest (re-runnable by `lineage verify`).
public enum MatrixReportBuilder {
    public static let defaultResamples = 100

    /// - Parameter cache: where embeddings of the recordings may come from (never part of the
    ///   invocation: `verify` always recomputes them).
    public static func run(_ invocation: ReportInvocation, into directory: String,
                           progress: (@Sendable (String) -> Void)? = nil,
                           cache: EmbeddingCache? = nil) throws -> MatrixReport {
        guard invocation.subcommand == "matrix", invocation.files.count >= 2 else {
            throw ReportError("a matrix report needs the matrix subcommand and at least two recordings")
        }
        progress?("hashing \(invocation.inputFiles.count) input files")
        let inputs = try Manifest.inputs(of: invocation)
        let folder = try ResultFolder.reserve(directory, inputs: inputs.map(\.resolved))
        defer { folder.release() }
        let set = try ProbeSet.load(path: invocation.probeSetPath)
        let model = try EmbeddingModel(contentsOf: invocation.modelPath)
        let format = try invocation.inputFormat.map { name -> RecordingFormat in
            guard let format = RecordingFormat(rawValue: name) else { throw ReportError("unknown input format \(name)") }
            return format
        }
        progress?("embedding \(invocation.files.count) recordings")
        let stack = try Embedder(model: model).embedStack(files: invocation.files, probeSet: set, format: format, cache: cache)
        let tensor = ProbeSimilarityTensor(stack: stack)
        let report = MatrixReport.compute(tensor: tensor, models: stack.models, sources: stack.sources,
                                          sha256s: stack.sha256s,
                                          resamples: invocation.treeResamples ?? defaultResamples,
                                          seed: invocation.options.seed, progress: progress)
        let files = try report.files(embedding: EmbeddingReference(version: model.version, sha256: model.sha256,
                                                                   dimensions: model.dimensions))
        _ = try ReportBuilder.write(files, invocation: invocation, inputs: inputs, into: folder)
        return report
    }
}
