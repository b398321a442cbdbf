import Foundation

/// A rooted tree of models built by average-linkage clustering (UPGMA; Sokal & Michener 1958) on
/// distance = 1 − mean cosine, with bootstrap support over probes on each clade (Felsenstein 1985).
public struct LineageTree: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        /// Leaf: the model's index; internal: nil.
        public var leaf: Int?
        public var children: [Int]
        /// Half the distance at which the two children merged (0 for leaves): ultrametric height.
        public var height: Double
        /// Sorted model indices below the node.
        public var members: [Int]
        /// Share of bootstrap resamples whose tree has exactly this clade (nil for leaves and the root).
        public var support: Double?
    }

    public var names: [String]
    /// Leaves are nodes 0..<n; internal nodes follow in merge order; the last node is the root.
    public var nodes: [Node]

    public var root: Int { nodes.count - 1 }

    /// UPGMA on a symmetric distance matrix (row-major `n × n`). Ties merge the pair with the smallest
    /// indices first, so equal inputs give equal trees.
    public static func upgma(distances: [[Double]], names: [String]) -> LineageTree {
        let n = names.count
        var nodes = (0..<n).map { Node(leaf: $0, children: [], height: 0, members: [$0], support: nil) }
        guard n > 1 else { return LineageTree(names: names, nodes: nodes) }
        var active = Array(0..<n)          // node ids of current clusters
        var d = distances                  // row and column k: node k (a row is added with each merged node)
        while active.count > 1 {
            var best = (Double.infinity, 0, 0)
            for a in 0..<active.count {
                for b in (a + 1)..<active.count {
                    let distance = d[active[a]][active[b]]
                    let value = distance.isFinite ? distance : Double.greatestFiniteMagnitude
                    if value < best.0 { best = (value, a, b) }
                }
            }
            let (distance, a, b) = best.0.isFinite ? best : (Double.greatestFiniteMagnitude, 0, 1)
            let left = active[a], right = active[b]
            let sizeLeft = Double(nodes[left].members.count), sizeRight = Double(nodes[right].members.count)
            // Children ordered by their smallest member, so that the drawing does not depend on merge order.
            let children = [left, right].sorted { (nodes[$0].members.first ?? 0) < (nodes[$1].members.first ?? 0) }
            let merged = Node(leaf: nil, children: children, height: distance / 2,
                              members: (nodes[left].members + nodes[right].members).sorted(), support: nil)
            nodes.append(merged)
            let id = nodes.count - 1
            // New row: size-weighted average of the two merged rows.
            var row: [Double] = []
            for k in 0..<d.count { row.append((d[left][k] * sizeLeft + d[right][k] * sizeRight) / (sizeLeft + sizeRight)) }
            for k in 0..<d.count { d[k].append(row[k]) }
            d.append(row + [0])
            active.remove(at: b)
            active.remove(at: a)
            active.append(id)
        }
        return LineageTree(names: names, nodes: nodes)
    }

    /// Every non-trivial clade (internal nodes but the root), as sorted member lists.
    public var clades: [[Int]] {
        nodes.indices.filter { nodes[$0].leaf == nil && $0 != root }.map { nodes[$0].members }
    }

    /// Leaves in drawing order (depth first, children in stored order).
    public var leafOrder: [Int] {
        var order: [Int] = []
        func visit(_ id: Int) {
            if let leaf = nodes[id].leaf { order.append(leaf) } else { nodes[id].children.forEach(visit) }
        }
        if !nodes.isEmpty { visit(root) }
        return order
    }

    /// The tree in Newick format (Felsenstein's PHYLIP convention): branch lengths are height
    /// differences; internal nodes carry their bootstrap support in percent as a label.
    public func newick() -> String {
        func label(_ name: String) -> String {
            let plain = name.unicodeScalars.allSatisfy {
                ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A)
                    || ($0.value >= 0x61 && $0.value <= 0x7A) || $0 == "." || $0 == "-" || $0 == "_"
            }
            return plain && !name.isEmpty ? name : "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        }
        func length(_ value: Double) -> String {
            let text = String(format: "%.6f", max(0, value))
            return text
        }
        func write(_ id: Int, parentHeight: Double?) -> String {
            let node = nodes[id]
            var text: String
            if let leaf = node.leaf {
                text = label(names[leaf])
            } else {
                text = "(" + node.children.map { write($0, parentHeight: node.height) }.joined(separator: ",") + ")"
                if let support = node.support { text += String(format: "%.0f", support * 100) }
            }
            if let parentHeight { text += ":" + length(parentHeight - node.height) }
            return text
        }
        guard !nodes.isEmpty else { return ";" }
        return write(root, parentHeight: nil) + ";"
    }

    /// Fills `support` from the trees of resampled data: the share of them that contain each clade.
    public mutating func setSupport(from resampled: [LineageTree]) {
        guard !resampled.isEmpty else { return }
        var counts: [[Int]: Int] = [:]
        for tree in resampled {
            for clade in Set(tree.clades) { counts[clade, default: 0] += 1 }
        }
        for id in nodes.indices where nodes[id].leaf == nil && id != root {
            nodes[id].support = Double(counts[nodes[id].members] ?? 0) / Double(resampled.count)
        }
    }
}
