import Foundation

/// The attribute/compare ranking as a long-form table, one row per candidate with the student named in
/// every row, so that the tables of several runs concatenate into one data frame (`ranking.csv` in a
/// result folder, and `--csv` on stdout).
public enum RankingTable {
    public static let file = "ranking.csv"

    public static let header = ["student", "candidate", "rank", "score", "log10_likelihood_ratio", "verbal", "verdict",
                                "inconclusive_reasons", "ngram_score", "ngram_score_ci_low", "ngram_score_ci_high",
                                "p_value", "p_value_holm", "probes_compared", "candidate_source",
                                "student_median_characters", "candidate_median_characters",
                                "length_adjusted_rank", "length_adjusted_log10_likelihood_ratio"]

    /// Several runs' rankings as one table (a batch's `ranking.csv` and `attribute --students --csv`).
    public static func table(_ results: [AttributionResult]) -> CSVTable {
        CSVTable(header: header, rows: results.flatMap { table($0).rows })
    }

    public static func table(_ result: AttributionResult) -> CSVTable {
        // Median answer lengths (`AnswerProfile`), empty where a result predates them.
        func length(_ answers: AnswerProfile?) -> CSVTable.Cell {
            answers.map { .number($0.medianCharacters, digits: 1) } ?? .text("")
        }
        let student = length(result.student.answers)
        return CSVTable(header: header, rows: result.ranking.map { a in
            // The length check's place and LR, empty where the result has none (one candidate, or an older calibration).
            let adjusted = result.lengthCheck?.place(of: a.model)
            return [.text(result.student.model), .text(a.model), .integer(a.rank), .number(a.score, digits: 4),
             .number(a.log10LikelihoodRatio, digits: 4), .text(a.verbal), .text(a.verdict.rawValue),
             .text((a.inconclusiveReasons ?? []).joined(separator: "; ")), .number(a.statistics.impostor.score, digits: 4),
             .number(a.statistics.scoreInterval.low, digits: 4), .number(a.statistics.scoreInterval.high, digits: 4),
             .number(a.pValue, digits: 6), .number(a.pValueHolm, digits: 6),
             .integer(a.statistics.impostor.probesCompared), .text(a.source),
             student, length(result.candidateAnswers(a.model)),
             adjusted.map { .integer($0.rank) } ?? .text(""),
             adjusted.map { .number($0.entry.log10LikelihoodRatio, digits: 4) } ?? .text("")]
        })
    }
}
