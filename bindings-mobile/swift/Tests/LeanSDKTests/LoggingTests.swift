import Foundation
import XCTest
@testable import LeanSDK

/// What a logger sees of a call: the core's events in order, the request ids of every attempt
/// on the result, and never a credential.
final class LoggingTests: XCTestCase {
    private let gig = NewGig(partnerUserId: "uid_1", totalAmount: Decimal(string: "15.00")!, tips: 3, expenses: 2,
                             description: "Gig Payout", gigId: "gig_42", startTime: "2021-03-01T21:04:04",
                             endTime: "2021-03-01T21:31:05")
    private let stored = #"{"id":"uid_1","partnerUserId":"uid_1","totalAmount":"15.00","tips":"3.00","expenses":"2.00","description":"Gig Payout","gigId":"gig_42","startTime":"2021-03-01T21:04:04","endTime":"2021-03-01T21:31:05","status":"PENDING"}"#

    /// Answers each request with the next scripted status and body, and `X-Request-Id: req-N`.
    private final class Replies: Transport, @unchecked Sendable {
        private let lock = NSLock()
        private let replies: [(Int, String)]
        private var log: [String] = []
        var sent: [String] { lock.withLock { log } }

        init(_ replies: [(Int, String)]) { self.replies = replies }

        func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
            let n: Int = lock.withLock {
                log.append("\(request.method) \(request.url.components(separatedBy: "/api").last ?? "")")
                return log.count
            }
            let (status, body) = replies[n - 1]
            return TransportResponse(status: status, headers: [(name: "X-Request-Id", value: "req-\(n)")], body: Data(body.utf8))
        }
    }

    private func client(_ transport: Transport, apiKey: String = "sk_test_key", maxRetries: UInt32? = nil,
                        logger: LeanLogger) throws -> LeanClient {
        try LeanClient(apiKey: apiKey, environment: .sandbox, baseUrl: "http://127.0.0.1:9/api", transport: transport,
                       maxRetries: maxRetries, sleep: { _ in }, logger: logger)
    }

    func testARetried503AndALookupAreLoggedInOrderWithEveryRequestIdOnTheResult() async throws {
        let transport = Replies([(503, ""), (404, ""), (503, ""), (200, stored)])
        let captured = CapturedEvents()
        let stderr = LeanLogger.standardError(debug: true)
        let client = try client(transport, logger: LeanLogger { captured.logger.log($0); stderr.log($0) })

        let (result, attempts) = try await withAttempts { try await client.createGig(gig) }

        XCTAssertEqual(result.gigId, "gig_42")
        XCTAssertEqual(transport.sent, ["POST /gig", "GET /gig/gig_42", "POST /gig", "GET /gig/gig_42"])
        XCTAssertEqual(captured.events.map(\.name), [
            "attempt_sent", "answer_received", "lookup_started", "attempt_sent", "answer_received", "lookup_finished",
            "retry_scheduled", "attempt_sent", "answer_received", "lookup_started", "attempt_sent", "answer_received",
            "lookup_finished", "call_finished",
        ])
        XCTAssertEqual(Set(captured.events.map(\.level)), [.debug, .info])
        XCTAssertEqual(captured.events.last?.level, .info)
        XCTAssertTrue(captured.events.last?.message.contains("req-4") ?? false)
        XCTAssertEqual(attempts.map(\.requestId), ["req-1", "req-2", "req-3", "req-4"])
        XCTAssertEqual(attempts.map(\.status), [503, 404, 503, 200])
        XCTAssertEqual(attempts.map(\.phase), [.operation, .lookup, .operation, .lookup])
        XCTAssertTrue(attempts.allSatisfy { $0.elapsedMs != nil && $0.transportError == nil })
    }

    func testAFailedCallCarriesItsAttempts() async throws {
        let captured = CapturedEvents()
        let client = try client(Replies([(503, ""), (503, "")]), maxRetries: 1, logger: captured.logger)
        do {
            _ = try await client.getGig("gig_42")
            XCTFail("expected an error")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "service_unavailable")
            XCTAssertEqual(error.attempts.map(\.requestId), ["req-1", "req-2"])
            XCTAssertEqual(error.requestId, "req-2")
        }
        XCTAssertEqual(captured.events.filter { $0.level == .info }.map(\.name), ["retry_scheduled", "call_finished"])
    }

    func testNoEventHoldsTheApiKeyAClientSecretOrAToken() async throws {
        let captured = CapturedEvents()
        let apiKey = "sk_live_K3Y_never_logged"
        let payouts = try client(Replies([(503, ""), (404, ""), (401, #"{"message":"bad key"}"#)]), apiKey: apiKey,
                                 logger: captured.logger)
        do {
            _ = try await payouts.createGig(gig)
            XCTFail("expected an error")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "unauthorized")
        }

        let secret = "cl13nt_s3cret_never_logged"
        let tokens = ["tok_A_never_logged", "tok_B_never_logged"]
        let env = try OpenBanking.Environment.custom("http://127.0.0.1:9", tokenBaseUrl: "http://127.0.0.1:9")
        let oauth = try OpenBankingClient(auth: .clientCredentials(clientId: "app-id", clientSecret: secret), environment: env,
                                          mtls: nil, transport: TokenThenRefusal(tokens: tokens), maxRetries: 0,
                                          initialBackoffMs: 1, sleep: { _ in }, clock: { Date() }, logger: captured.logger)
        _ = try await oauth.listPaymentDestinations()
        let appToken = "app_t0ken_never_logged"
        let byAppToken = try OpenBankingClient(auth: .appToken(appToken), environment: env, mtls: nil,
                                               transport: Replies([(500, ""), (200, "[]")]), maxRetries: 1,
                                               initialBackoffMs: 1, sleep: { _ in }, clock: { Date() },
                                               logger: captured.logger)
        _ = try await byAppToken.listPaymentDestinations()

        let names = captured.events.map(\.name)
        for name in ["token_fetch_started", "token_fetched", "token_rejected", "retry_scheduled", "lookup_started"] {
            XCTAssertTrue(names.contains(name), "\(name) in \(names)")
        }
        let secrets = [apiKey, secret, appToken] + tokens
        let encoded = (secrets + ["\(apiKey):", "app-id:\(secret)"]).map { Data($0.utf8).base64EncodedString() }
        for event in captured.events {
            for text in [event.name, event.message, event.json, "\(event)"] {
                for s in secrets + encoded { XCTAssertFalse(text.contains(s), "\(s) in \(text)") }
            }
        }
    }

    /// A token host handing out `tokens` in turn, and an API refusing the first call's token.
    private final class TokenThenRefusal: Transport, @unchecked Sendable {
        private let lock = NSLock()
        private let tokens: [String]
        private var fetched = 0
        private var refused = false

        init(tokens: [String]) { self.tokens = tokens }

        func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
            lock.withLock {
                if request.url.hasSuffix("/oauth2/token") {
                    fetched += 1
                    let body = #"{"access_token":"\#(tokens[fetched - 1])","token_type":"Bearer","expires_in":3600}"#
                    return TransportResponse(status: 200, headers: [(name: "X-Request-Id", value: "tok-\(fetched)")],
                                             body: Data(body.utf8))
                }
                if !refused {
                    refused = true
                    return TransportResponse(status: 401, headers: [(name: "X-Request-Id", value: "api-1")],
                                             body: Data(#"{"status":"UNAUTHORIZED","message":"expired"}"#.utf8))
                }
                return TransportResponse(status: 200, headers: [(name: "X-Request-Id", value: "api-2")], body: Data("[]".utf8))
            }
        }
    }
}
