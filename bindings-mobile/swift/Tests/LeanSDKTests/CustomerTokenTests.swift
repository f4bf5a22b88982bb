import Foundation
import XCTest
@testable import LeanSDK

/// `customerToken`, the backend half of the Link SDK flow, over a scripted token host: the
/// request the core builds, the token and expiry it reads back, errors, the token kept out of
/// every printed form, and a client without client credentials refused.
final class CustomerTokenTests: XCTestCase {
    private let secret = "client-secret-do-not-show"
    private static let deviceToken = "device-token-for-the-app"
    private let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// Answers customer-scoped token requests with `reply`; the client's own tokens are `own-N`.
    private final class FakeLean: Transport, @unchecked Sendable {
        let reply: @Sendable (TransportRequest) throws -> TransportResponse
        private let lock = NSLock()
        private var own = 0
        private(set) var sent: [TransportRequest] = []

        init(_ reply: @escaping @Sendable (TransportRequest) throws -> TransportResponse) { self.reply = reply }

        func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
            let n: Int = lock.withLock {
                sent.append(request)
                if request.url.hasSuffix("/oauth2/token") && !(request.body ?? "").contains("scope=customer.") { own += 1 }
                return own
            }
            guard request.url.hasSuffix("/oauth2/token") else { return json(200, "[]") }
            if (request.body ?? "").contains("scope=customer.") { return try reply(request) }
            return json(200, #"{"access_token":"own-\#(n)","token_type":"Bearer","expires_in":3600,"scope":"api"}"#)
        }
    }

    private static func json(_ status: Int, _ body: String) -> TransportResponse {
        TransportResponse(status: status, headers: [], body: Data(body.utf8))
    }

    private static let issued: @Sendable (TransportRequest) -> TransportResponse = { _ in
        json(200, #"{"access_token":"\#(deviceToken)","token_type":"Bearer","expires_in":900,"scope":"customer.c-42"}"#)
    }

    private func client(_ transport: Transport, auth: OpenBanking.Auth? = nil) throws -> OpenBankingClient {
        let env = try OpenBanking.Environment.custom("http://127.0.0.1:9", tokenBaseUrl: "http://127.0.0.1:9")
        let now = self.now
        return try OpenBankingClient(auth: auth ?? .clientCredentials(clientId: "app-id", clientSecret: secret),
                                     environment: env, mtls: nil, transport: transport, maxRetries: 0,
                                     initialBackoffMs: 1, sleep: { _ in }, clock: { now })
    }

    func testSendsTheCoresCustomerScopedRequestAndReadsTokenAndExpiry() async throws {
        let lean = FakeLean(Self.issued)
        let token = try await client(lean).customerToken("c-42")
        XCTAssertEqual(lean.sent.count, 1)
        let request = try XCTUnwrap(lean.sent.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "http://127.0.0.1:9/oauth2/token")
        XCTAssertTrue(request.headers.contains { $0.name == "content-type" && $0.value == "application/x-www-form-urlencoded" })
        XCTAssertEqual(request.body, "client_id=app-id&client_secret=\(secret)&grant_type=client_credentials&scope=customer.c-42")
        XCTAssertEqual(token.accessToken, Self.deviceToken)
        XCTAssertEqual(token.expiresAt, now.addingTimeInterval(900))
        XCTAssertEqual(token.scope, "customer.c-42")
    }

    func testTheClientsOwnTokenIsNotTouched() async throws {
        let lean = FakeLean(Self.issued)
        let client = try client(lean)
        _ = try await client.listPaymentDestinations()
        _ = try await client.customerToken("c-42")
        _ = try await client.listPaymentDestinations()
        let bearers = lean.sent.filter { !$0.url.hasSuffix("/oauth2/token") }
            .map { r in r.headers.first { $0.name == "authorization" }?.value }
        XCTAssertEqual(bearers, ["Bearer own-1", "Bearer own-1"])
    }

    func testTheTokenNeverShowsInItsPrintedForms() async throws {
        let token = try await client(FakeLean(Self.issued)).customerToken("c-42")
        var dumped = ""
        dump(token, to: &dumped)
        for shown in ["\(token)", String(reflecting: token), String(describing: [token]), dumped] {
            XCTAssertFalse(shown.contains(Self.deviceToken), shown)
        }
        XCTAssertTrue("\(token)".contains("<redacted>"))
    }

    func testARefusalIsTheApiErrorWithoutTheSecret() async throws {
        let lean = FakeLean { _ in Self.json(401, #"{"error":"invalid_client","error_description":"bad secret"}"#) }
        do {
            _ = try await client(lean).customerToken("c-42")
            XCTFail("expected unauthorized")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "unauthorized")
            XCTAssertEqual(error.status, 401)
            XCTAssertFalse("\(error) \(error.body ?? "")".contains(secret))
        }
        XCTAssertEqual(lean.sent.count, 1, "not retried")
    }

    func testAnAnswerWithoutExpiryIsAnInvalidResponseThatHidesTheToken() async throws {
        let lean = FakeLean { _ in Self.json(200, #"{"access_token":"\#(Self.deviceToken)","token_type":"Bearer"}"#) }
        do {
            _ = try await client(lean).customerToken("c-42")
            XCTFail("expected invalid_response")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "invalid_response")
            XCTAssertFalse("\(error) \(error.body ?? "")".contains(Self.deviceToken))
        }
    }

    func testATransportFailureIsATransportErrorSentOnce() async throws {
        let lean = FakeLean { _ in throw TransportFailure(.connect, "connection refused") }
        do {
            _ = try await client(lean).customerToken("c-42")
            XCTFail("expected transport")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "transport")
            XCTAssertFalse(error.outcomeUnknown)
            XCTAssertTrue(error.message.contains("OAuth token request to http://127.0.0.1:9/oauth2/token failed: connection refused"),
                          error.message)
            XCTAssertFalse(error.message.contains(secret))
        }
        XCTAssertEqual(lean.sent.count, 1, "no retry")
    }

    func testABadCustomerIdIsRefusedBeforeSending() async throws {
        let lean = FakeLean(Self.issued)
        do {
            _ = try await client(lean).customerToken(" ")
            XCTFail("expected validation")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "validation")
        }
        XCTAssertTrue(lean.sent.isEmpty)
    }

    func testAClientWithoutClientCredentialsIsRefused() async throws {
        for auth in [try OpenBanking.Auth.appToken("app-token"), try OpenBanking.Auth.accessToken("some-token")] {
            let lean = FakeLean(Self.issued)
            do {
                _ = try await client(lean, auth: auth).customerToken("c-42")
                XCTFail("expected configuration")
            } catch let error as LeanError {
                XCTAssertEqual(error.code, "configuration")
                XCTAssertTrue(error.message.contains("customerToken needs OAuth client credentials"), error.message)
            }
            XCTAssertTrue(lean.sent.isEmpty)
        }
    }
}
