import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The limits every request of the recorder runs under; each one, when hit, is named in the failure.
public struct TransferBounds: Sendable, Equatable {
    /// Seconds for one whole request, connection to last byte: a server that drips a byte a second keeps
    /// any idle timer alive and is stopped by this one.
    public var deadline: Double
    /// Seconds without a single byte arriving (a stalled server or a dead connection).
    public var idle: Double
    /// The most bytes of one response body read; a larger one is cut off, not buffered.
    public var maximumBytes: Int

    /// 16 MiB: some 4 million tokens of text, far beyond any chat answer, far below what hurts memory.
    public static let defaultMaximumBytes = 16 << 20

    public init(deadline: Double = 120, idle: Double? = nil, maximumBytes: Int = TransferBounds.defaultMaximumBytes) {
        self.deadline = deadline
        self.idle = min(idle ?? 60, deadline)
        self.maximumBytes = maximumBytes
    }
}

/// Runs data tasks of one `URLSession` under `TransferBounds`, on the session's delegate callbacks rather
/// than `URLSession.data(for:)`: the body arrives piece by piece (so its size is bounded as it comes),
/// every piece resets the idle clock, a watchdog stops a task at its deadline, and redirects are decided
/// here (`RedirectPolicy`), never by Foundation.
final class BoundedTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// What ended a transfer early.
    enum Stop: Sendable, Equatable {
        case deadline, idle, tooLarge
        case redirect(String)
    }

    enum Outcome: Sendable {
        case response(HTTPURLResponse, Data)
        case stopped(Stop)
        case failed(URLError)
        case other(String)
    }

    private final class State: @unchecked Sendable {
        var data = Data()
        var response: URLResponse?
        var started = Date()
        var lastByte = Date()
        var stop: Stop?
        var continuation: CheckedContinuation<Outcome, Never>?
        var done = false
    }

    let bounds: TransferBounds
    let origin: URL
    private let lock = NSLock()
    private var states: [Int: State] = [:]
    private var session: URLSession!

    init(bounds: TransferBounds, origin: URL, configuration: URLSessionConfiguration) {
        self.bounds = bounds
        self.origin = origin
        super.init()
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    /// Sends `request` and waits for its outcome, which always comes within the deadline (plus a tick).
    func run(_ request: URLRequest) async -> Outcome {
        let task = session.dataTask(with: request)
        let state = State()
        lock.withLock { states[task.taskIdentifier] = state }
        return await withCheckedContinuation { continuation in
            lock.withLock {
                state.continuation = continuation
                state.started = Date()
                state.lastByte = state.started
            }
            task.resume()
            watch(task, state)
        }
    }

    /// Checks the task's clocks a few times a second until it is done; stops it at the first bound hit.
    private func watch(_ task: URLSessionTask, _ state: State) {
        let tick = max(0.02, min(0.25, bounds.idle / 4))
        DispatchQueue.global().asyncAfter(deadline: .now() + tick) { [weak self] in
            guard let self else { return }
            let now = Date()
            let hit: Stop? = self.lock.withLock {
                guard !state.done, state.stop == nil else { return nil }
                if now.timeIntervalSince(state.started) >= self.bounds.deadline { state.stop = .deadline }
                else if now.timeIntervalSince(state.lastByte) >= self.bounds.idle { state.stop = .idle }
                return state.stop
            }
            if hit != nil {
                task.cancel()
                // The cancellation's own callback may come late or never from a wedged connection: the
                // caller is answered now, and a later callback finds the task done.
                self.finish(task.taskIdentifier, .stopped(hit ?? .deadline))
                return
            }
            if !(self.lock.withLock { state.done }) { self.watch(task, state) }
        }
    }

    private func finish(_ id: Int, _ outcome: Outcome) {
        let continuation: CheckedContinuation<Outcome, Never>? = lock.withLock {
            guard let state = states[id], !state.done else { return nil }
            state.done = true
            states[id] = nil
            let pending = state.continuation
            state.continuation = nil
            state.data = Data()
            return pending
        }
        continuation?.resume(returning: outcome)
    }

    private func state(_ task: URLSessionTask) -> State? { lock.withLock { states[task.taskIdentifier] } }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let state = state(dataTask) else { completionHandler(.cancel); return }
        let tooLarge: Bool = lock.withLock {
            state.response = response
            state.lastByte = Date()
            if response.expectedContentLength > Int64(bounds.maximumBytes) { state.stop = .tooLarge; return true }
            return false
        }
        if tooLarge {
            completionHandler(.cancel)
            finish(dataTask.taskIdentifier, .stopped(.tooLarge))
        } else {
            completionHandler(.allow)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let state = state(dataTask) else { return }
        let tooLarge: Bool = lock.withLock {
            state.lastByte = Date()
            guard state.stop == nil else { return false }
            if state.data.count + data.count > bounds.maximumBytes { state.stop = .tooLarge; return true }
            state.data.append(data)
            return false
        }
        if tooLarge {
            dataTask.cancel()
            finish(dataTask.taskIdentifier, .stopped(.tooLarge))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        guard let target = request.url, RedirectPolicy.sameOrigin(origin, target) else {
            let shown = request.url.map { EndpointCredentials.redacted($0) } ?? "an unparsable URL"
            if let state = state(task) { lock.withLock { if state.stop == nil { state.stop = .redirect(shown) } } }
            completionHandler(nil)
            task.cancel()
            finish(task.taskIdentifier, .stopped(.redirect(shown)))
            return
        }
        completionHandler(request)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let state = state(task) else { return }
        let (stop, response, data) = lock.withLock { (state.stop, state.response, state.data) }
        if let stop { finish(task.taskIdentifier, .stopped(stop)); return }
        if let error = error as? URLError { finish(task.taskIdentifier, .failed(error)); return }
        if let error { finish(task.taskIdentifier, .other("\(error)")); return }
        guard let http = response as? HTTPURLResponse else { finish(task.taskIdentifier, .other("not an HTTP response")); return }
        finish(task.taskIdentifier, .response(http, data))
    }

    func invalidate() { session.invalidateAndCancel() }
}

/// Which redirects the recorder follows: only those to the same scheme, host and port as the endpoint.
/// Anything else would carry the `Authorization: Bearer` key (and the body) to a server the user did not
/// name, so it is refused and reported, and the user can point `--endpoint` at the final URL.
enum RedirectPolicy {
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func port(_ url: URL) -> Int? { url.port ?? (url.scheme?.lowercased() == "https" ? 443 : url.scheme?.lowercased() == "http" ? 80 : nil) }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased()
            && port(a) == port(b) && b.user == nil && b.password == nil
    }
}
