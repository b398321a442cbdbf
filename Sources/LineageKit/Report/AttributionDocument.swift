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

    /// The bytes `JSONOutput.data(self)` writes, encoded one student at a time: the encoder's tree of a
    /// 68-student document held ~150 MB at once; each student's document is indented to its depth instead
    /// (JSON strings hold no raw line breaks, so every line of it is a line of the whole).
    public func data() throws -> Data {
        guard !results.isEmpty else { return try JSONOutput.data(self) }
        var out = Data("{\n  \"results\" : [\n".utf8)
        for (k, document) in results.enumerated() {
            let lines = try JSONOutput.data(document).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            for (j, line) in lines.enumerated() {
                if !line.isEmpty { out.append(contentsOf: "    ".utf8) }  // an empty array's blank line stays blank
                out.append(contentsOf: line)
                if j + 1 < lines.count { out.append(UInt8(ascii: "\n")) }
            }
            out.append(contentsOf: (k + 1 < results.count ? ",\n" : "\n").utf8)
        }
        out.append(contentsOf: "  ]\n}".utf8)
        return out
    }
}
