import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The default `Transport`, on `URLSession` (FoundationNetworking on Linux): the platform's
/// own HTTP stack, with its proxy, TLS and cookie settings; nothing else to depend on.
public struct URLSessionTransport: Transport {
    private let session: URLSession

    /// Uses `session`; by default an ephemeral one (no cache, no cookies) whose delegate
    /// hands a 401 back as an answer instead of an authentication challenge (the SDK sends
    /// its own `Authorization`; without a delegate, FoundationNetworking never completes a
    /// task answered 401).
    public init(session: URLSession? = nil) {
        self.session = session ?? URLSession(configuration: .ephemeral, delegate: AnswerChallenges(), delegateQueue: nil)
    }

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
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: urlRequest) { data, response, error in
                if let error = error as? URLError {
                    continuation.resume(throwing: Self.failure(error))
                } else if let error {
                    continuation.resume(throwing: TransportFailure(.other, "\(error)"))
                } else if let http = response as? HTTPURLResponse {
                    let headers = http.allHeaderFields.map { (name: "\($0.key)", value: "\($0.value)") }
                    continuation.resume(returning: TransportResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
                } else {
                    continuation.resume(throwing: TransportFailure(.other, "no HTTP response"))
                }
            }.resume()
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

/// Answers authentication challenges with default handling, so a 401 reaches the SDK.
private final class AnswerChallenges: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        completionHandler(.performDefaultHandling, nil)
    }
}
