import Foundation

/// Credentials a user may have written into `--endpoint` (`https://user:password@host/…`, `?api-key=…`),
/// and the one way the endpoint is shown or written: without them. The recorded lines, resume checks,
/// messages and errors all use `redacted`, so a credential is sent only to the host it was written for and
/// stored nowhere.
enum EndpointCredentials {
    /// Query parameters whose values are treated as secrets: any name holding one of these words.
    static let secretWords = ["key", "token", "secret", "pass", "auth", "sig", "credential", "session"]

    /// The URL with any user and password removed and secret query values replaced by `[redacted]`.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "[unparsable URL]" }
        components.user = nil
        components.password = nil
        if let items = components.queryItems {
            components.queryItems = items.map { item in
                isSecret(item.name) && item.value != nil ? URLQueryItem(name: item.name, value: "[redacted]") : item
            }
        }
        return (components.string ?? "[unparsable URL]").replacingOccurrences(of: "%5Bredacted%5D", with: "[redacted]")
    }

    static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return secretWords.contains { lower.contains($0) }
    }

    /// Every secret the URL carries (password, user, secret query values), for `SecretScrubber`.
    static func secrets(in url: URL) -> [String] {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return [] }
        var secrets: [String] = []
        if let password = components.password, !password.isEmpty {
            secrets.append(password)
            if let user = components.user { secrets.append(Data("\(user):\(password)".utf8).base64EncodedString()) }
        }
        for item in components.queryItems ?? [] where isSecret(item.name) {
            if let value = item.value, !value.isEmpty { secrets.append(value) }
        }
        return secrets
    }
}

/// Removes secrets from text that came back from a server (errors, answers, model names) before it is shown
/// or written. Not only the exact key: its percent-encoded and Base64 forms, `Bearer <key>` in Base64, and
/// any run of text that shares 12 or more consecutive characters with a secret (a server echoing part of a
/// key, "sk-abc…xyz" with the middle cut out), which is replaced whole.
struct SecretScrubber: Sendable {
    private let needles: [String]
    private let fragments: [String]
    static let fragmentLength = 12

    init(_ secrets: [String]) {
        var needles: [String] = []
        for secret in secrets where !secret.isEmpty {
            needles.append(secret)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret { needles.append(encoded) }
            needles.append(Data(secret.utf8).base64EncodedString())
            needles.append(Data("Bearer \(secret)".utf8).base64EncodedString())
        }
        self.needles = Array(Set(needles)).sorted { $0.count > $1.count }
        var fragments: Set<String> = []
        for secret in secrets where secret.count >= Self.fragmentLength {
            let characters = Array(secret)
            for start in 0...(characters.count - Self.fragmentLength) {
                fragments.insert(String(characters[start..<(start + Self.fragmentLength)]))
            }
        }
        self.fragments = fragments.sorted()
    }

    var isEmpty: Bool { needles.isEmpty }

    func scrub(_ text: String) -> String {
        guard !needles.isEmpty else { return text }
        var out = text
        for needle in needles where out.contains(needle) { out = out.replacingOccurrences(of: needle, with: "[redacted]") }
        guard !fragments.isEmpty, fragments.contains(where: { out.contains($0) }) else { return out }
        // Replace each whole run of non-space characters holding a fragment.
        let tokens = out.split(separator: " ", omittingEmptySubsequences: false)
        return tokens.map { token in
            fragments.contains(where: { token.contains($0) }) ? "[redacted]" : String(token)
        }.joined(separator: " ")
    }
}
