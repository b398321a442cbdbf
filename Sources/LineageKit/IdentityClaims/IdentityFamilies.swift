/// A model family for identity-claim detection: the names of its models and of its maker.
///
/// ## Extending the table
/// Add a `ModelFamily` to `ModelFamily.table` (or a name to an existing one). Each name is matched
/// at word boundaries (a Latin letter or digit before it, or a Latin letter after it, rules a match
/// out; digits after are allowed so that `Llama2` or `Qwen1.5` count). Mark short or common-word names
/// `caseSensitive` (`Yi`, `Phi`, `Meta`, `PaLM`, `Bard`, `Grok`) so that `yi`/`phi`/`meta` in running
/// text do not match. Names in CJK scripts have no boundary rule. Keep ids stable: they key reports.
/// Known, accepted false positives: `Gemini` the zodiac sign, `Falcon`/`Alpaca`/`Vicuna`/`Llama` the
/// animals, `Phi` the Greek letter, `Mistral` the wind, `Stanford` the university, `Meta` at a
/// sentence start. They inflate *mentions*; a *self-claim* also needs a first-person pattern.
public struct ModelFamily: Sendable, Equatable, Codable {
    public struct Name: Sendable, Equatable, Codable {
        public var text: String
        public var caseSensitive: Bool

        public init(_ text: String, caseSensitive: Bool = false) {
            self.text = text
            self.caseSensitive = caseSensitive
        }
    }

    /// Stable key, e.g. `openai`.
    public var id: String
    /// Human-readable label, e.g. `GPT/ChatGPT/OpenAI`.
    public var label: String
    public var names: [Name]

    public init(id: String, label: String, names: [Name]) {
        self.id = id
        self.label = label
        self.names = names
    }

    private static func n(_ text: String) -> Name { Name(text) }
    private static func cs(_ text: String) -> Name { Name(text, caseSensitive: true) }

    /// The maintained table, in report order.
    public static let table: [ModelFamily] = [
        ModelFamily(id: "openai", label: "GPT/ChatGPT/OpenAI",
                    names: [n("ChatGPT"), cs("GPT"), n("InstructGPT"), n("OpenAI"), n("Open AI")]),
        ModelFamily(id: "anthropic", label: "Claude/Anthropic", names: [n("Claude"), n("Anthropic")]),
        ModelFamily(id: "google", label: "Gemini/Bard/Google/PaLM/LaMDA",
                    names: [n("Gemini"), cs("Bard"), n("Google"), cs("PaLM"), n("LaMDA"), n("DeepMind"), n("谷歌")]),
        ModelFamily(id: "meta", label: "Llama/Meta/LLaMA",
                    names: [n("Llama"), cs("Meta"), cs("Meta AI"), n("Facebook")]),
        ModelFamily(id: "xai", label: "Grok/xAI", names: [cs("Grok"), cs("xAI")]),
        ModelFamily(id: "mistral", label: "Mistral/Mixtral", names: [n("Mistral"), n("Mixtral")]),
        ModelFamily(id: "qwen", label: "Qwen/Tongyi/Alibaba",
                    names: [n("Qwen"), n("Tongyi"), n("通义千问"), n("通义"), n("Alibaba"), n("阿里巴巴"), n("阿里云")]),
        ModelFamily(id: "deepseek", label: "DeepSeek", names: [n("DeepSeek"), n("深度求索")]),
        ModelFamily(id: "yi", label: "Yi/01.AI", names: [cs("Yi"), n("01.AI"), n("01-AI"), n("零一万物")]),
        ModelFamily(id: "gemma", label: "Gemma", names: [n("Gemma")]),
        ModelFamily(id: "phi", label: "Phi/Microsoft", names: [cs("Phi"), n("Microsoft"), n("微软")]),
        ModelFamily(id: "falcon", label: "Falcon/TII",
                    names: [n("Falcon"), cs("TII"), n("Technology Innovation Institute")]),
        ModelFamily(id: "vicuna", label: "Vicuna/LMSYS", names: [n("Vicuna"), n("LMSYS")]),
        ModelFamily(id: "alpaca", label: "Alpaca/Stanford", names: [n("Alpaca"), n("Stanford")]),
        ModelFamily(id: "cohere", label: "Cohere/Command",
                    names: [n("Cohere"), cs("Command R"), cs("Command-R"), cs("Command Nightly")]),
        ModelFamily(id: "ernie", label: "ERNIE/Baidu",
                    names: [cs("ERNIE"), n("Ernie Bot"), n("文心一言"), n("Baidu"), n("百度")]),
        ModelFamily(id: "chatglm", label: "ChatGLM/Zhipu",
                    names: [n("ChatGLM"), cs("GLM"), n("Zhipu"), n("智谱"), n("清华大学")]),
        ModelFamily(id: "internlm", label: "InternLM", names: [n("InternLM"), n("书生"), n("Shanghai AI Lab")]),
        ModelFamily(id: "baichuan", label: "Baichuan", names: [n("Baichuan"), n("百川")]),
        ModelFamily(id: "pythia", label: "Pythia/EleutherAI", names: [n("Pythia"), n("EleutherAI"), n("Eleuther AI")]),
        ModelFamily(id: "openassistant", label: "OpenAssistant/LAION",
                    names: [n("OpenAssistant"), n("Open Assistant"), n("Open-Assistant"), cs("LAION")]),
    ]
}
