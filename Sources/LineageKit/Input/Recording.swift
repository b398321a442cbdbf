/// One answer as it stood in a recording file, before alignment to a probe set.
public struct RecordedAnswer: Sendable, Equatable {
    /// The probe id the record names, if it names one.
    public var probeID: String?
    /// The prompt text the record carries, if any; used to align when there is no id.
    public var prompt: String?
    /// Which of several samples for the same probe this is (0 when the file has one per probe).
    public var sample: Int
    public var output: String
    /// The 1-based line (JSONL, CSV) or array element (JSON array) the answer came from.
    public var line: Int

    public init(probeID: String?, prompt: String?, sample: Int = 0, output: String, line: Int) {
        self.probeID = probeID
        self.prompt = prompt
        self.sample = sample
        self.output = output
        self.line = line
    }
}

/// What a reader noticed in a file and accepted, so that the report can say so.
public struct ReadingNotes: Sendable, Equatable, Codable {
    public var byteOrderMark = false
    public var crlfLines = 0
    public var blankLines = 0
    /// Records that carried no answer because the request failed (OpenAI Batch `error`, non-200).
    public var failedRequests: [String] = []

    public init() {}
}

/// All answers of one model read from one file.
public struct Recording: Sendable {
    public var model: String
    public var source: String
    public var format: RecordingFormat
    public var sha256: String
    public var answers: [RecordedAnswer]
    public var notes: ReadingNotes

    public init(model: String, source: String, format: RecordingFormat, sha256: String,
                answers: [RecordedAnswer], notes: ReadingNotes = ReadingNotes()) {
        self.model = model
        self.source = source
        self.format = format
        self.sha256 = sha256
        self.answers = answers
        self.notes = notes
    }
}
