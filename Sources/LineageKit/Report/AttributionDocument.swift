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

    /// The bytes `JSONOutput.data(self)` writes, whole (a batch folder's `batch.json`, whose manifest hashes it).
    public func data() throws -> Data {
        var out = Data()
        try write { out.append($0) }
        return out
    }

    /// The bytes of `data()`, handed to `sink` in pieces, one student's document at a time, so that a
    /// caller that streams them (`attribute --students --json` on stdout) never holds the whole document:
    /// 127 MB for 68 students, twice that once copied into a String to print. Each student's document is
    /// encoded on its own and indented to its depth (JSON strings hold no raw line breaks, so every line of
    /// it is a line of the whole); the encoder's tree of the whole document held ~150 MB at once.
    public func write(_ sink: (Data) throws -> Void) throws {
        guard !results.isEmpty else { return try sink(JSONOutput.data(self)) }
        try sink(Data("{\n  \"results\" : [\n".utf8))
        for (k, document) in results.enumerated() {
            var out = Self.indented(try JSONOutput.data(document))
            out.append(contentsOf: (k + 1 < results.count ? ",\n" : "\n").utf8)
            try sink(Data(out))
        }
        try sink(Data("  ]\n}".utf8))
    }

    /// `json` with four spaces before every non-empty line (an empty array's blank line stays blank), one pass
    /// over the bytes: splitting the `Data` into lines spent more time in exclusivity checks than in copying.
    static func indented(_ json: Data) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + json.count / 4)
        let indent: [UInt8] = Array("    ".utf8)
        json.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while true {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                if end > start {
                    out.append(contentsOf: indent)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                }
                if end == bytes.count { break }
                out.append(UInt8(ascii: "\n"))
                start = end + 1
            }
        }
        return out
    }
}
