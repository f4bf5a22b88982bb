import Foundation
@testable import LeanSDK

/// A webhook endpoint on 127.0.0.1 for the end-to-end tests, on the tests' `LocalServer`: each
/// POST goes through `OpenBanking.Webhooks.Verifier.receive`, and the status it returns is the
/// answer.
final class WebhookReceiver: @unchecked Sendable {
    /// What the endpoint saw, shared with the server's thread.
    private final class Log: @unchecked Sendable {
        let lock = NSLock()
        var events: [OpenBanking.Event] = []
        var statuses: [Int] = []
    }

    private let log: Log
    private let server: LocalServer
    var port: UInt16 { server.port }

    init(verifier: OpenBanking.Webhooks.Verifier) throws {
        let log = Log()
        self.log = log
        server = try LocalServer(handle: { request in
            let status = verifier.receive(payload: request.body,
                                          signature: request.headers[OpenBanking.Webhooks.signatureHeader]) { event in
                log.lock.withLock { log.events.append(event) }
            }
            log.lock.withLock { log.statuses.append(status) }
            return "HTTP/1.1 \(status) X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        })
    }

    /// Every verified event so far, and every status answered.
    var events: [OpenBanking.Event] { log.lock.withLock { log.events } }
    var answered: [Int] { log.lock.withLock { log.statuses } }

    func stop() { server.stop() }
}
