import Testing
@testable import LineageKit

@Suite("Report: UPGMA lineage tree")
struct LineageTreeTests {
    /// Worked by hand: A–B merge at 2 (height 1); d(AB,C) = (6+8)/2 = 7, d(AB,D) = (10+12)/2 = 11, d(C,D) = 11;
    /// AB–C merge at 7 (height 3.5); d(ABC,D) = (11·2 + 11·1)/3 = 11; root at height 5.5.
    static let distances: [[Double]] = [
        [0, 2, 6, 10],
        [2, 0, 8, 12],
        [6, 8, 0, 11],
        [10, 12, 11, 0],
    ]

    @Test("UPGMA on a hand-worked 4×4 example: merge order, heights and Newick")
    func handWorked() throws {
        let tree = LineageTree.upgma(distances: Self.distances, names: ["A", "B", "C", "D"])
        #expect(tree.nodes.count == 7)
        #expect(tree.nodes[4].members == [0, 1])
        #expect(tree.nodes[4].height == 1)
        #expect(tree.nodes[5].members == [0, 1, 2])
        #expect(tree.nodes[5].height == 3.5)
        #expect(tree.nodes[6].members == [0, 1, 2, 3])
        #expect(tree.nodes[6].height == 5.5)
        #expect(tree.newick() == "(((A:1.000000,B:1.000000):2.500000,C:3.500000):2.000000,D:5.500000);")
        #expect(tree.leafOrder == [0, 1, 2, 3])
    }

    @Test("support counts clades of resampled trees; the Newick with support and quoted names parses")
    func support() throws {
        var tree = LineageTree.upgma(distances: Self.distances, names: ["A", "B's", "C (x)", "D"])
        let other = LineageTree.upgma(distances: [[0, 9, 1, 10], [9, 0, 9, 12], [1, 9, 0, 11], [10, 12, 11, 0]],
                                      names: tree.names)
        tree.setSupport(from: [tree, tree, tree, other])
        #expect(tree.nodes[4].support == 0.75)  // {A, B} is in 3 of 4
        #expect(tree.nodes[5].support == 1)     // {A, B, C} in all
        #expect(tree.nodes[6].support == nil)   // the root carries none
        // Names outside [A-Za-z0-9._-] are single-quoted, a quote doubled (the CLI tests parse such trees).
        #expect(tree.newick() == "(((A:1.000000,'B''s':1.000000)75:2.500000,'C (x)':3.500000)100:2.000000,D:5.500000);")
    }

    @Test("a single model gives a one-leaf tree")
    func single() {
        let tree = LineageTree.upgma(distances: [[0]], names: ["only"])
        #expect(tree.newick() == "only;")
    }
}
