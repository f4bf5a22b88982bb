import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The default `Transport`, on `URLSession` (FoundationNetworking on Linux): the platform's
/// own HTTP stack, with its proxy, TLS and cookie settings; nothing else to depend on.
public struct URLSessionTransport: Transport {
    private let session: URLSession
    private let exchanges: Exchanges?

    /// Uses `session`; by default an ephemeral one (no cache, no cookies, no credential
    /// storage) whose delegate hands every answer, `401` and redirects included, back as a
    /// response: a redirect is never followed, so credentials never leave the configured
    /// origin (the engine reports it as a `redirect` error naming the `Location`).
    ///
    /// Why the default session has a delegate: the SDK sends its own `Authorization`, so an
    /// authentication challenge (a `401` with `WWW-Authenticate`) must reach the engine as an
    /// `unauthorized` error, never be answered with stored credentials. FoundationNetworking
    /// (Linux) holds such a task until the challenge is answered and, with default handling,
    /// never completes it; the delegate keeps the response and body it has already received,
    /// cancels the challenge, and returns them. A `session` you pass is used as it is.
    public init(session: URLSession? = nil) {
        if let session {
            self.session = session
            self.exchanges = nil
        } else {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.urlCredentialStorage = nil
            let exchanges = Exchanges()
            self.session = URLSession(configuration: configuration, delegate: exchanges, delegateQueue: nil)
            self.exchanges = exchanges
        }
    }

    #if canImport(Security)
    /// The default session, answering TLS challenges with `clientTrust` (see `init(mtls:)`).
    init(clientTrust: ClientTrust) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCredentialStorage = nil
        let exchanges = Exchanges(clientTrust: clientTrust)
        self.session = URLSession(configuration: configuration, delegate: exchanges, delegateQueue: nil)
        self.exchanges = exchanges
    }
    #endif

    public func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
        guard let url = URL(string: request.url) else {
            throw TransportFailure(.connect, "not a URL: \(request.url)")
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for header in request.headers {
            urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
        }
        urlRequest.httpBody = request.body.map { Data($0.utf8) }
        let session = self.session
        let exchanges = self.exchanges
        let running = RunningTask()
        // The request's timeout is an idle timeout: an answer that trickles in a byte at a
        // time would never end. The deadline cancels the task, reported as a timeout.
        let deadline = Task {
            try await Task.sleep(nanoseconds: UInt64(max(timeout, 0.001) * 1_000_000_000))
            running.expire()
        }
        defer { deadline.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let finish: @Sendable (Data?, URLResponse?, Error?) -> Void = { data, response, error in
                    if running.expired, error != nil {
                        continuation.resume(throwing: TransportFailure(.timeout, "no answer within \(timeout) s"))
                        return
                    }
                    continuation.resume(with: Self.outcome(data, response, error))
                }
                let task: URLSessionDataTask
                if let exchanges {
                    task = session.dataTask(with: urlRequest)
                    exchanges.start(task, finish: finish)
                } else {
                    task = session.dataTask(with: urlRequest, completionHandler: finish)
                }
                running.set(task)
                task.resume()
            }
        } onCancel: {
            running.cancel()
        }
    }

    private static func outcome(_ data: Data?, _ response: URLResponse?, _ error: Error?) -> Result<TransportResponse, Error> {
        if let error = error as? URLError {
            return .failure(failure(error))
        } else if let error {
            return .failure(TransportFailure(.other, "\(error)"))
        } else if let http = response as? HTTPURLResponse {
            let headers = http.allHeaderFields.map { (name: "\($0.key)", value: "\($0.value)") }
            return .success(TransportResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
        } else {
            return .failure(TransportFailure(.other, "no HTTP response"))
        }
    }

    private static func failure(_ error: URLError) -> TransportFailure {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .secureConnectionFailed:
            return TransportFailure(.connect, "cannot connect: \(error.localizedDescription)")
        case .timedOut:
            return TransportFailure(.timeout, "no answer in time: \(error.localizedDescription)")
        default:
            return TransportFailure(.other, "the exchange failed: \(error.localizedDescription)")
        }
    }
}

/// The task of one exchange, for cancelling it when the calling task is cancelled (which may
/// happen before the task exists: it is then cancelled as soon as it is set).
private final class RunningTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionTask?
    private var cancelled = false

    func set(_ task: URLSessionTask) {
        lock.lock()
        self.task = task
        let cancel = cancelled
        lock.unlock()
        if cancel { task.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }

    /// Whether the exchange's deadline passed.
    var expired: Bool { lock.withLock { timedOut } }
    private var timedOut = false

    /// Ends the exchange at its deadline.
    func expire() {
        lock.withLock { timedOut = true }
        cancel()
    }
}

/// The default session's delegate: collects each task's response and body, and turns an
/// HTTP authentication challenge into the response that caused it (see `URLSessionTransport`).
private final class Exchanges: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// One task in flight: what has arrived so far and whom to tell when it ends.
    private struct Exchange {
        var finish: @Sendable (Data?, URLResponse?, Error?) -> Void
        var response: URLResponse?
        var body = Data()
        var challenged = false
    }

    private let lock = NSLock()
    private var inFlight: [Int: Exchange] = [:]
    #if canImport(Security)
    /// The client certificate and CA chain for mutual TLS, when given.
    private let clientTrust: ClientTrust?

    init(clientTrust: ClientTrust? = nil) {
        self.clientTrust = clientTrust
    }
    #endif

    func start(_ task: URLSessionTask, finish: @escaping @Sendable (Data?, URLResponse?, Error?) -> Void) {
        lock.lock()
        inFlight[task.taskIdentifier] = Exchange(finish: finish)
        lock.unlock()
    }

    @discardableResult
    private func update<T>(_ task: URLSessionTask, _ change: (inout Exchange) -> T) -> T? {
        lock.lock()
        defer { lock.unlock() }
        guard var exchange = inFlight[task.taskIdentifier] else { return nil }
        let result = change(&exchange)
        inFlight[task.taskIdentifier] = exchange
        return result
    }

    /// Refuses every redirect: the 3xx itself is completed as the task's answer.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        update(dataTask) { $0.response = response; $0.body = Data() }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        update(dataTask) { $0.body.append(data) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        #if canImport(Security)
        if let answer = clientTrust?.answer(challenge) {
            completionHandler(answer.0, answer.1)
            return
        }
        #endif
        // FoundationNetworking asks once the whole 401 has arrived: keep it and stop there.
        // Apple's URLSession asks before any response (HTTP authentication, and TLS server
        // trust): default handling keeps the platform's certificate checks, and for HTTP
        // authentication continues without a credential (there is no credential storage),
        // which delivers the 401 as the response.
        let answered = update(task) { exchange -> Bool in
            exchange.challenged = exchange.response != nil
            return exchange.challenged
        } ?? false
        completionHandler(answered ? .cancelAuthenticationChallenge : .performDefaultHandling, nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        let exchange = inFlight.removeValue(forKey: task.taskIdentifier)
        lock.unlock()
        guard let exchange else { return }
        if exchange.challenged, let response = exchange.response {
            exchange.finish(exchange.body, response, nil)
        } else {
            exchange.finish(error == nil ? exchange.body : nil, exchange.response, error)
        }
    }
}
