/// How well one teacher's labelled students are told from the other labelled students, judged against that
/// teacher alone: the AUC of the pairs with it as candidate, distilled against independent.
///
/// The pooled AUC mixes teachers: a score that puts every GPT-4 pair above every davinci pair can look
/// good without telling a GPT-4 student from another model's student. This is the question a case asks
/// ("is this student, among students, one of this teacher's?"), and the second benchmark's target names it.
public struct TeacherDiscrimination: Sendable, Codable, Equatable {
    public var teacher: String
    public var distilledPairs: Int
    public var independentPairs: Int
    public var auc: Double

    enum CodingKeys: String, CodingKey {
        case teacher, distilledPairs = "distilled_pairs", independentPairs = "independent_pairs", auc
    }

    /// One row per candidate with at least one distilled and one independent labelled pair, by name.
    static func byTeacher(_ results: [CalibratedPair]) -> [TeacherDiscrimination] {
        Dictionary(grouping: results, by: \.teacher).compactMap { teacher, pairs in
            let distilled = pairs.filter(\.distilled).count
            guard distilled > 0, distilled < pairs.count else { return nil }
            return TeacherDiscrimination(teacher: teacher, distilledPairs: distilled, independentPairs: pairs.count - distilled,
                                         auc: DiscriminationMetrics.auc(scores: pairs.map(\.score), labels: pairs.map(\.distilled)))
        }.sorted { $0.teacher < $1.teacher }
    }
}
