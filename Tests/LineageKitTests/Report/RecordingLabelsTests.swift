import Testing
@testable import LineageKit

@Suite("Report: unique labels for recordings that share a model name")
struct RecordingLabelsTests {
    @Test("unique names are the labels, unchanged, and nothing is reported")
    func uniqueNames() {
        let labels = RecordingLabels(models: ["a", "b", "c"], sources: ["x/a.json", "x/b.json", "c.jsonl"],
                                     sha256s: ["1", "2", "3"])
        #expect(labels.labels == ["a", "b", "c"])
        #expect(labels.sharedNames.isEmpty)
        #expect(labels.identicalFiles.isEmpty)
    }

    @Test("a shared name gets the file name; identical content is grouped by SHA-256")
    func sharedName() {
        let labels = RecordingLabels(
            models: ["alpaca-7b", "claude-2", "alpaca-7b"],
            sources: ["/tmp/x/r1-alpaca-7b.json", "claude-2.json", "/tmp/x/r2-alpaca-7b.json"],
            sha256s: ["aa", "bb", "aa"])
        #expect(labels.labels == ["alpaca-7b (r1-alpaca-7b.json)", "claude-2", "alpaca-7b (r2-alpaca-7b.json)"])
        #expect(labels.sharedNames == [RecordingLabels.SharedName(
            model: "alpaca-7b", recordings: [0, 2], sources: ["/tmp/x/r1-alpaca-7b.json", "/tmp/x/r2-alpaca-7b.json"],
            labels: ["alpaca-7b (r1-alpaca-7b.json)", "alpaca-7b (r2-alpaca-7b.json)"])])
        #expect(labels.identicalFiles == [RecordingLabels.IdenticalFiles(
            sha256: "aa", recordings: [0, 2], sources: ["/tmp/x/r1-alpaca-7b.json", "/tmp/x/r2-alpaca-7b.json"])])
    }

    @Test("one file name in two folders gets as many folders as tell them apart; labels do not depend on argument order")
    func folders() {
        let sources = ["runs/a/m.json", "runs/b/m.json", "m.json", "other/x.json"]
        let models = ["m", "m", "m", "x"]
        let labels = RecordingLabels(models: models, sources: sources, sha256s: ["", "", "", ""])
        #expect(labels.labels == ["m (a/m.json)", "m (b/m.json)", "m (m.json)", "x"])
        #expect(labels.identicalFiles.isEmpty, "an empty hash is never compared")
        let order = [3, 2, 0, 1]
        let reordered = RecordingLabels(models: order.map { models[$0] }, sources: order.map { sources[$0] },
                                        sha256s: ["", "", "", ""])
        #expect(reordered.labels == order.map { labels.labels[$0] })
    }

    @Test("the same path twice is numbered, and a made label never equals another recording's name")
    func samePath() {
        let labels = RecordingLabels(models: ["m", "m", "m", "m (a.json) #2"],
                                     sources: ["a.json", "a.json", "a.json", "z.json"], sha256s: ["h", "h", "h", "k"])
        #expect(labels.labels == ["m (a.json)", "m (a.json) #3", "m (a.json) #4", "m (a.json) #2"])
        #expect(Set(labels.labels).count == 4)
        #expect(labels.identicalFiles.map(\.recordings) == [[0, 1, 2]])
    }

    @Test("shortened only while the short labels stay distinct")
    func shortened() {
        let cut: (String) -> String = { String($0.prefix(5)) }
        #expect(RecordingLabels.shortened(["alpha-long", "beta-long"], cut) == ["alpha", "beta-"])
        #expect(RecordingLabels.shortened(["model (a.json)", "model (b.json)"], cut) == ["model (a.json)", "model (b.json)"])
    }
}
