import Foundation

/// A request the SDK built, for a `Transport` to send exactly as given.
public struct TransportRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `GET`, `POST` or `PATCH`.
    public let method: String
    /// The absolute URL, already percent-encoded.
    public let url: String
    /// Header names (lower case) and values, `authorization` included.
    public let headers: [(name: String, value: String)]
    /// The JSON body of `POST` and `PATCH`.
    public let body: String?

    /// Never shows the headers: they carry the API key.
    public var description: String { "TransportRequest(\(method) \(url))" }
    public var debugDescription: String { description }
    /// `dump` shows the method and URL only: the headers carry credentials, and a token
    /// request's body carries the client secret.
    public var customMirror: Mirror { Mirror(self, children: ["method": method, "url": url]) }
}

/// The answer a `Transport` received, handed back as is; the SDK interprets it.
public struct TransportResponse: Sendable, CustomStringConvertible, CustomReflectable {
    /// The status code.
    public let status: Int
    /// Header names and values as received.
    public let headers: [(name: String, value: String)]
    /// The raw body.
    public let body: Data

    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Never shows the body or headers: a token answer carries an access token.
    public var description: String { "TransportResponse(\(status), \(body.count) bytes)" }
    public var customMirror: Mirror { Mirror(self, children: ["status": status, "bytes": body.count]) }
}

/// Sends one request. The SDK decides retries, waits and idempotency; a transport performs
/// one exchange. Return any HTTP answer (errors included); throw `TransportFailure` when no
/// answer arrived, saying whether the request may have reached the server.
public protocol Transport: Sendable {
    /// Sends `request`, giving up after `timeout` seconds.
    func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse
}

/// Thrown by a `Transport` when no HTTP answer arrived.
public struct TransportFailure: Error, Sendable {
    /// Why: it decides whether a retry is safe.
    public enum Kind: Sendable {
        /// The connection could not be opened: nothing reached the API.
        case connect
        /// No answer in time: the API may have applied the request.
        case timeout
        /// Anything else: the API may have applied the request.
        case other
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
