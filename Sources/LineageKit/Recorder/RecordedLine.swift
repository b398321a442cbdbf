/// The request parameters of a recording run: written with every answer, and compared on resume so
/// that one file never mixes answers obtained under different settings.
public struct RequestParameters: Sendable, Equatable, Codable {
    public var temperature: Double?
    public var maxTokens: Int?
    /// The run's default system prompt (a probe's own `system` takes precedence for that probe).
    public var systemPrompt: String?
    /// The chat-completions URL.
    public var endpoint: String

    public init(temperature: Double?, maxTokens: Int?, systemPrompt: String?, endpoint: String) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.systemPrompt = systemPrompt
        self.endpoint = endpoint
    }

    enum CodingKeys: String, CodingKey {
        case temperature, endpoint
        case maxTokens = "max_tokens"
        case systemPrompt = "system_prompt"
    }

    /// Writes every key, `null` for a server default, so that each line states all its parameters.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(maxTokens, forKey: .maxTokens)
        try container.encode(systemPrompt, forKey: .systemPrompt)
        try container.encode(endpoint, forKey: .endpoint)
    }
}

/// One line of a recorded file: Lineage's canonical JSONL answer plus how it was obtained.
public struct RecordedLine: Sendable, Equatable, Codable {
    public var probe: String
    /// The model name given to `lineage record` (what the recording stands for).
    public var model: String
    public var output: String
    public var sample: Int
    public var prompt: String
    /// The system message actually sent with this probe, if any.
    public var system: String?
    /// The model id the server reported.
    public var servedModel: String?
    public var finishReason: String?
    public var request: RequestParameters
    /// ISO-8601 UTC.
    public var startedAt: String
    public var finishedAt: String
    /// Token counts, when the server reported them (absent otherwise).
    public var usage: TokenUsage?

    public init(probe: String, model: String, output: String, sample: Int, prompt: String, system: String?,
                servedModel: String?, finishReason: String?, request: RequestParameters, startedAt: String, finishedAt: String,
                usage: TokenUsage? = nil) {
        self.probe = probe
        self.model = model
        self.output = output
        self.sample = sample
        self.prompt = prompt
        self.system = system
        self.servedModel = servedModel
        self.finishReason = finishReason
        self.request = request
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.usage = usage
    }

    enum CodingKeys: String, CodingKey {
        case probe, model, output, sample, prompt, system, request, usage
        case servedModel = "served_model"
        case finishReason = "finish_reason"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

/// A (probe, sample) pair: the unit that is recorded once.
public struct RecordKey: Sendable, Hashable, Comparable {
    public var probe: String
    public var sample: Int

    public init(probe: String, sample: Int) {
        self.probe = probe
        self.sample = sample
    }

    public static func < (a: RecordKey, b: RecordKey) -> Bool { (a.probe, a.sample) < (b.probe, b.sample) }
}
