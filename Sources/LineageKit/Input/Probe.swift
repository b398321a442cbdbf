/// One probe prompt of a probe set.
public struct Probe: Sendable, Codable, Equatable, Hashable {
    /// Stable identifier, unique within its set; recordings refer to probes by it.
    public var id: String
    public var prompt: String
    /// What kind of prompt this is (e.g. `identity`, `lists`, `general`).
    public var category: String
    /// Why the probe is in the set: what habit or claim it is meant to draw out.
    public var purpose: String
    /// A system message sent with the prompt when the probe is recorded (nil: none, or the recorder's default).
    public var system: String?

    public init(id: String, prompt: String, category: String = "general", purpose: String = "", system: String? = nil) {
        self.id = id
        self.prompt = prompt
        self.category = category
        self.purpose = purpose
        self.system = system
    }
}
