import Foundation

/// The `attribute --json` document: `student` and `ranking` first-class, the rest alongside.
public struct AttributionDocument: Encodable {
    public let result: AttributionResult
    public init(_ result: AttributionResult) { self.result = result }

    enum CodingKeys: String, CodingKey { case student, ranking, details }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result.student.model, forKey: .student)
        try container.encode(result.ranking, forKey: .ranking)
        try container.encode(result, forKey: .details)
    }
}

/// The `attribute --students --json` document (and a batch folder's `batch.json`): each student's
/// `attribute --json` document, in the order the students were given.
public struct BatchDocument: Encodable {
    public let results: [AttributionDocument]
    public init(_ results: [AttributionResult]) { self.results = results.map(AttributionDocument.init) }
}
