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
}

/// Why one request failed, and whether trying again may help.
public enum ChatFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A non-2xx status; `retryAfter` is the parsed `Retry-After`, in seconds.
    case http(status: Int, retryAfter: Double?, detail: String)
    case timeout
    /// The connection could not be made or broke off.
    case connection(String)
    /// A 2xx response whose body is not a chat completion.
    case malformed(String)

    /// 429, 5xx, timeouts, connection errors and malformed bodies are worth retrying; other statuses are not.
    public var isRetryable: Bool {
        switch self {
        case let .http(status, _, _): status == 429 || status == 408 || (500...599).contains(status)
        case .timeout, .connection, .malformed: true
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
        case let .connection(message): "connection failed: \(message)"
        case let .malformed(message): "malformed response: \(message)"
        }
    }
}

/// A client for OpenAI-compatible `POST /v1/chat/completions` servers, on Foundation's `URLSession`.
///
/// The API key is sent as `Authorization: Bearer <key>` and is kept out of every error message:
/// anything a server says back is scrubbed of it before it is shown.
public struct ChatCompletionClient: Sendable {
    /// The full chat-completions URL requests are posted to.
    public let endpoint: URL
    private let apiKey: String?
    private let session: URLSession
    private let timeout: Double

    /// - Parameters:
    ///   - endpoint: the chat-completions URL, or a base URL (`http://host:8000` or `…/v1`) it is derived from.
    ///   - timeout: seconds to wait for one response.
    public init(endpoint: String, apiKey: String?, timeout: Double = 120) throws(RecorderError) {
        self.endpoint = try Self.chatCompletionsURL(endpoint)
        self.apiKey = (apiKey?.isEmpty ?? true) ? nil : apiKey
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        self.session = URLSession(configuration: configuration)
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
        var request = URLRequest(url: endpoint, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
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
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError {
            if error.code == .timedOut { return .failure(.timeout) }
            return .failure(.connection(scrub(error.localizedDescription)))
        } catch {
            return .failure(.connection(scrub("\(error)")))
        }
        guard let http = response as? HTTPURLResponse else { return .failure(.connection("not an HTTP response")) }
        guard (200...299).contains(http.statusCode) else {
            let retryAfter = (http.value(forHTTPHeaderField: "Retry-After")).flatMap { RetryPolicy.parseRetryAfter($0) }
            return .failure(.http(status: http.statusCode, retryAfter: retryAfter, detail: scrub(Self.errorDetail(data))))
        }
        switch Self.parseCompletion(data) {
        case let .success(completion): return .success(completion)
        case let .failure(failure):
            if case let .malformed(message) = failure { return .failure(.malformed(scrub(message))) }
            return .failure(failure)
        }
    }

    /// Removes the API key from text a server sent back, in case it echoes request headers.
    private func scrub(_ text: String) -> String {
        guard let apiKey else { return text }
        return text.replacingOccurrences(of: apiKey, with: "[redacted]")
    }

    /// `error.message` of an OpenAI-style error body, else the body's first 200 characters.
    static func errorDetail(_ data: Data) -> String {
        let value: JSONValue? = data.withUnsafeBytes { raw in
            try? JSONParser.parse(raw.bindMemory(to: UInt8.self))
        }
        if let message = value?["error"]?["message"]?.stringValue { return String(message.prefix(200)) }
        if let message = value?["error"]?.stringValue { return String(message.prefix(200)) }
        let text = String(decoding: data.prefix(200), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Reads `choices[0].message.content`, `model` and `choices[0].finish_reason` with the strict parser.
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
                                       finishReason: first["finish_reason"]?.stringValue))
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
