import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One message of a chat request.
public struct ChatMessage: Sendable, Equatable, Codable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// What the server answered to one request.
public struct ChatCompletion: Sendable, Equatable {
    public var content: String
    /// The model id the server reports in its response (`model`), which may differ from the name asked for.
    public var servedModel: String?
    public var finishReason: String?
    /// The token counts the server reports (`usage`), when it reports them.
    public var usage: TokenUsage? = nil
}

/// The token counts of one completion as an OpenAI-compatible server reports them (`usage`): kept with
/// each recorded answer, since they are what a recording cost and are lost if not written down.
public struct TokenUsage: Sendable, Equatable, Codable {
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var totalTokens: Int?

    public init(promptTokens: Int?, completionTokens: Int?, totalTokens: Int?) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
    }

    /// Both counts summed, each where either side has it.
    func adding(_ other: TokenUsage) -> TokenUsage {
        func sum(_ a: Int?, _ b: Int?) -> Int? { a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0) }
        return TokenUsage(promptTokens: sum(promptTokens, other.promptTokens),
                          completionTokens: sum(completionTokens, other.completionTokens),
                          totalTokens: sum(totalTokens, other.totalTokens))
    }

    /// `usage` of a response body; nil when absent or when it holds none of the three counts.
    static func parse(_ value: JSONValue?) -> TokenUsage? {
        func count(_ key: String) -> Int? {
            guard case let .number(n)? = value?[key], n >= 0, n < 1e15, n == n.rounded() else { return nil }
            return Int(n)
        }
        let usage = TokenUsage(promptTokens: count("prompt_tokens"), completionTokens: count("completion_tokens"),
                               totalTokens: count("total_tokens"))
        return usage.promptTokens == nil && usage.completionTokens == nil && usage.totalTokens == nil ? nil : usage
    }
}

/// Why one request failed, and whether trying again may help.
public enum ChatFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A non-2xx status; `retryAfter` is the parsed `Retry-After`, in seconds.
    case http(status: Int, retryAfter: Double?, detail: String)
    case timeout
    /// No complete response within the request's overall deadline (`--timeout`), in seconds.
    case deadline(Double)
    /// No byte arrived for this many seconds (`--idle-timeout`).
    case stalled(Double)
    /// The response body grew past this many bytes (`--max-answer-bytes`) and was not read further.
    case tooLarge(Int)
    /// The server redirected to another scheme, host or port (shown without credentials); not followed.
    case redirected(String)
    /// The connection could not be made or broke off.
    case connection(String)
    /// A 2xx response whose body is not a chat completion.
    case malformed(String)

    /// 429, 5xx, timeouts, connection errors and malformed bodies are worth retrying; other statuses are not.
    public var isRetryable: Bool {
        switch self {
        case let .http(status, _, _): status == 429 || status == 408 || (500...599).contains(status)
        case .timeout, .deadline, .stalled, .connection, .malformed: true
        case .tooLarge, .redirected: false
        }
    }

    public var retryAfter: Double? {
        if case let .http(_, retryAfter, _) = self { return retryAfter }
        return nil
    }

    public var description: String {
        switch self {
        case let .http(status, _, detail): "HTTP \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        case .timeout: "timed out"
        case let .deadline(seconds): "no complete response within \(seconds) s (--timeout, the bound of one whole request)"
        case let .stalled(seconds): "no byte received for \(seconds) s (--idle-timeout)"
        case let .tooLarge(bytes): "the response body exceeded \(bytes) bytes (--max-answer-bytes) and was not read further"
        case let .redirected(target): "the server redirected to \(target), another host; not followed, so the API key and the prompt are not sent there (give the final URL as --endpoint)"
        case let .connection(message): "connection failed: \(message)"
        case let .malformed(message): "malformed response: \(message)"
        }
    }
}

/// A client for OpenAI-compatible `POST /v1/chat/completions` servers, on Foundation's `URLSession`.
///
/// The API key is sent as `Authorization: Bearer <key>`, only to the endpoint's own scheme, host and port
/// (`RedirectPolicy`), and is kept out of everything shown or written: anything a server says back is
/// scrubbed of it and of the credentials written into the endpoint (`SecretScrubber`), and the endpoint is
/// shown and recorded without them (`shownEndpoint`). Every request runs under `TransferBounds`.
public struct ChatCompletionClient: Sendable {
    /// The full chat-completions URL requests are posted to (with any credentials the user wrote into it).
    public let endpoint: URL
    /// `endpoint` without user, password or secret query values: what messages and recorded lines show.
    public let shownEndpoint: String
    public let bounds: TransferBounds
    private let apiKey: String?
    private let transfer: BoundedTransfer
    private let scrubber: SecretScrubber

    /// - Parameters:
    ///   - endpoint: the chat-completions URL, or a base URL (`http://host:8000` or `…/v1`) it is derived from.
    ///   - timeout: seconds for one whole request (`TransferBounds.deadline`).
    ///   - idleTimeout: seconds without a byte (default: 60, at most `timeout`).
    ///   - maximumResponseBytes: the largest response body read.
    public init(endpoint: String, apiKey: String?, timeout: Double = 120, idleTimeout: Double? = nil,
                maximumResponseBytes: Int = TransferBounds.defaultMaximumBytes) throws(RecorderError) {
        guard timeout.isFinite, timeout > 0, (idleTimeout ?? 1).isFinite, (idleTimeout ?? 1) > 0, maximumResponseBytes > 0 else {
            throw RecorderError(.invalidOption, "timeouts must be finite and positive, the response size bound positive")
        }
        let url = try Self.chatCompletionsURL(endpoint)
        self.endpoint = url
        self.shownEndpoint = EndpointCredentials.redacted(url)
        self.apiKey = (apiKey?.isEmpty ?? true) ? nil : apiKey
        self.bounds = TransferBounds(deadline: timeout, idle: idleTimeout, maximumBytes: maximumResponseBytes)
        self.scrubber = SecretScrubber((self.apiKey.map { [$0] } ?? []) + EndpointCredentials.secrets(in: url))
        let configuration = URLSessionConfiguration.ephemeral
        // Foundation's own timers stay beyond ours, which are the ones that say which bound was hit.
        configuration.timeoutIntervalForRequest = bounds.idle + 5
        configuration.timeoutIntervalForResource = bounds.deadline + 5
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        self.transfer = BoundedTransfer(bounds: bounds, origin: url, configuration: configuration)
    }

    /// `http(s)://host[:port]` → `…/v1/chat/completions`; `…/v1` → `…/v1/chat/completions`; a URL already
    /// ending in `/chat/completions` is kept.
    static func chatCompletionsURL(_ text: String) throws(RecorderError) -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw RecorderError(.invalidEndpoint, "endpoint \"\(text)\" is not an http(s) URL")
        }
        var result = components
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        if !path.hasSuffix("/chat/completions") {
            path += path.hasSuffix("/v1") ? "/chat/completions" : "/v1/chat/completions"
        }
        result.path = path
        guard let url = result.url else { throw RecorderError(.invalidEndpoint, "endpoint \"\(text)\" is not a valid URL") }
        return url
    }

    public var hasAPIKey: Bool { apiKey != nil }

    /// Sends one request; never throws, so that the caller decides about retrying.
    public func complete(model: String, messages: [ChatMessage], temperature: Double?, maxTokens: Int?) async -> Result<ChatCompletion, ChatFailure> {
        var request = URLRequest(url: endpoint, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: bounds.deadline + 5)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        do {
            request.httpBody = try ChatRequestBody.encoder.encode(
                ChatRequestBody(model: model, messages: messages, temperature: temperature, maxTokens: maxTokens))
        } catch {
            return .failure(.malformed("cannot encode the request: \(error)"))
        }
        let data: Data
        let http: HTTPURLResponse
        switch await transfer.run(request) {
        case let .response(response, body): (http, data) = (response, body)
        case .stopped(.deadline): return .failure(.deadline(bounds.deadline))
        case .stopped(.idle): return .failure(.stalled(bounds.idle))
        case .stopped(.tooLarge): return .failure(.tooLarge(bounds.maximumBytes))
        case let .stopped(.redirect(target)): return .failure(.redirected(target))
        case let .failed(error):
            if error.code == .timedOut { return .failure(.timeout) }
            return .failure(.connection(scrub(error.localizedDescription)))
        case let .other(message): return .failure(.connection(scrub(message)))
        }
        guard (200...299).contains(http.statusCode) else {
            let retryAfter = (http.value(forHTTPHeaderField: "Retry-After")).flatMap { RetryPolicy.parseRetryAfter($0) }
            return .failure(.http(status: http.statusCode, retryAfter: retryAfter, detail: String(scrub(Self.errorDetail(data)).prefix(200))))
        }
        switch Self.parseCompletion(data) {
        case var .success(completion):
            // A server that echoes the key into an answer must not get it written into the recording.
            completion.content = scrub(completion.content)
            completion.servedModel = completion.servedModel.map(scrub)
            completion.finishReason = completion.finishReason.map(scrub)
            return .success(completion)
        case let .failure(failure):
            if case let .malformed(message) = failure { return .failure(.malformed(scrub(message))) }
            return .failure(failure)
        }
    }

    /// Removes the API key and the endpoint's credentials from text a server sent back (`SecretScrubber`).
    func scrub(_ text: String) -> String { scrubber.scrub(text) }

    /// `error.message` of an OpenAI-style error body, else the body's first 4 KiB; the caller scrubs it and
    /// then cuts it to 200 characters (cut first, a Base64 key would be cut past recognition).
    static func errorDetail(_ data: Data) -> String {
        let value: JSONValue? = data.withUnsafeBytes { raw in
            try? JSONParser.parse(raw.bindMemory(to: UInt8.self))
        }
        if let message = value?["error"]?["message"]?.stringValue { return String(message.prefix(4096)) }
        if let message = value?["error"]?.stringValue { return String(message.prefix(4096)) }
        let text = String(decoding: data.prefix(4096), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Reads `choices[0].message.content`, `model`, `choices[0].finish_reason` and `usage` with the strict parser.
    static func parseCompletion(_ data: Data) -> Result<ChatCompletion, ChatFailure> {
        let parsed: Result<JSONValue, JSONParser.Failure> = data.withUnsafeBytes { raw in
            Result { () throws(JSONParser.Failure) -> JSONValue in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) }
        }
        let value: JSONValue
        switch parsed {
        case let .success(parsedValue): value = parsedValue
        case let .failure(failure):
            return .failure(.malformed("body is not JSON (line \(failure.line), column \(failure.column): \(failure.message))"))
        }
        guard case let .array(choices) = value["choices"] ?? .null, let first = choices.first else {
            return .failure(.malformed("no \"choices\" in the response"))
        }
        guard let message = first["message"] else { return .failure(.malformed("no \"choices[0].message\" in the response")) }
        let content: String
        if let text = message["content"]?.stringValue {
            content = text
        } else if let refusal = message["refusal"]?.stringValue {
            content = refusal
        } else {
            return .failure(.malformed("\"choices[0].message.content\" is not text"))
        }
        return .success(ChatCompletion(content: content, servedModel: value["model"]?.stringValue,
                                       finishReason: first["finish_reason"]?.stringValue,
                                       usage: TokenUsage.parse(value["usage"])))
    }
}

/// The JSON body of a chat-completions request; also the `body` of an OpenAI Batch input line.
struct ChatRequestBody: Encodable, Sendable {
    var model: String
    var messages: [ChatMessage]
    var temperature: Double?
    var maxTokens: Int?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature
        case maxTokens = "max_tokens"
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
