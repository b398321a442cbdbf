import Foundation

/// `matrix`'s pairs in long form, one row per ordered pair, for pandas or a spreadsheet (`pairs.csv` in
/// a matrix folder, `matrix --csv` on stdout): the row model as student, the column model as candidate,
/// its impostor score with every other model as the panel, the mean cosine and the probes both answered.
/// Models by their unique labels (`RecordingLabels`); the files they came from in the last columns.
public enum PairsTable {
    public static let file = "pairs.csv"

    /// - Parameters: square matrices indexed like `labels`; nil where a value does not exist (a pair that
    ///   shares no probe, fewer than two panel models left).
    public static func table(labels: [String], sources: [String], scores: [[Double?]], meanCosine: [[Double?]],
                             probesCompared: [[Int]]) -> CSVTable {
        var rows: [[CSVTable.Cell]] = []
        for i in labels.indices {
            for j in labels.indices where j != i {
                rows.append([.text(labels[i]), .text(labels[j]), .number(scores[i][j] ?? .nan, digits: 4),
                             .number(meanCosine[i][j] ?? .nan, digits: 6), .integer(probesCompared[i][j]),
                             .text(sources[i]), .text(sources[j])])
            }
        }
        return CSVTable(header: ["student", "candidate", "score", "mean_cosine", "probes_compared",
                                 "student_source", "candidate_source"], rows: rows)
    }
}
