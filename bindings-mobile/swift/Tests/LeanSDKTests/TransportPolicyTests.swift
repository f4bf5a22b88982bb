import Foundation
import XCTest
@testable import LeanSDK

/// The rules every host follows, through the Swift package: no transport follows a
/// redirect, binary floats are never amounts, an interrupted call says what it sent, no
/// description or dump shows a secret, and webhook bodies are read with a limit.
final class TransportPolicyTests: XCTestCase {
    private let secret = "sk_test_swift_never_shown"

    private func redirectingPair() throws -> (main: LocalServer, other: LocalServer) {
        let other = try LocalServer { _, _ in "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n" }
        let target = other.url
        let main = try LocalServer { _, _ in
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: \(target)/steal\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        }
        return (main, other)
    }

    private func post(_ url: String) -> TransportRequest {
        TransportRequest(method: "POST", url: url, headers: [(name: "authorization", value: "Basic \(secret)"),
                                                             (name: "content-type", value: "application/json")],
                         body: "{\"gigId\":\"g1\"}")
    }

    func testURLSessionTransportAnswersARedirectWithoutFollowingIt() async throws {
        let (main, other) = try redirectingPair()
        defer { main.stop(); other.stop() }
        let response = try await URLSessionTransport().send(post("\(main.url)/api/gig"), timeout: 5)
        XCTAssertEqual(response.status, 307)
        XCTAssertEqual(response.headers.first { $0.name.lowercased() == "location" }?.value, "\(other.url)/steal")
        XCTAssertEqual(other.requests, 0, "the redirect was followed")
        XCTAssertEqual(other.withCredentials, 0)
        XCTAssertEqual(main.requests, 1)
    }

    #if os(Linux)
    func testCurlTransportAnswersARedirectWithoutFollowingIt() async throws {
        let (main, other) = try redirectingPair()
        defer { main.stop(); other.stop() }
        let response = try await CurlTransport().send(post("\(main.url)/api/gig"), timeout: 5)
        XCTAssertEqual(response.status, 307)
        XCTAssertEqual(other.requests, 0, "the redirect was followed")
    }
    #endif

    func testAClientAnsweredWithARedirectSendsNothingToTheOtherOrigin() async throws {
        let (main, other) = try redirectingPair()
        defer { main.stop(); other.stop() }
        let client = try LeanClient(apiKey: secret, baseUrl: "\(main.url)/api", maxRetries: 0)
        do {
            _ = try await client.getGig("g1")
            XCTFail("a redirect is not a gig")
        } catch let error as LeanError {
            XCTAssertFalse("\(error)".contains(secret))
        }
        XCTAssertEqual(other.requests, 0, "the redirect was followed")
    }

    func testAnIntegralDoubleIsRefusedAsAnAmount() async throws {
        let client = try LeanClient(apiKey: "key", transport: Scripted([]))
        for amount: Any in [15.0 as Double, Float(15), NSNumber(value: 15.0)] {
            do {
                _ = try await client.execute(["operation": "createGig", "input": ["totalAmount": amount]])
                XCTFail("\(amount) was accepted")
            } catch let error as LeanError {
                let field = try XCTUnwrap(error.fieldErrors.first { $0.field == "totalAmount" }, "\(error.fieldErrors)")
                XCTAssertEqual(field.code, "invalid_type", field.message)
            }
        }
        // A Decimal is exact, and 15 as an integer is exact too.
        XCTAssertEqual(JSONText.write(["a": Decimal(string: "15.00")!]), "{\"a\":\"15\"}")
        XCTAssertEqual(JSONText.write(["a": 15.0 as Double, "b": 15 as Int]), "{\"a\":15.0,\"b\":15}")
    }

    func testACreateCancelledMidFlightThrowsWhatItSent() async throws {
        let client = try LeanClient(apiKey: "key", baseUrl: "http://127.0.0.1:9/api", transport: Hanging())
        let payment = NewSpecialPayment(partnerUserId: "uid_1", amount: 25, paymentType: "bonus", gigId: nil,
                                        description: nil, userdata: nil)
        let task = Task { try await client.createSpecialPayment(payment, idempotencyKey: "bonus-key-1") }
        try await Task.sleep(nanoseconds: 50_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled call succeeded")
        } catch let cancelled as LeanCancellationError {
            XCTAssertEqual(cancelled.report.code, "transport")
            XCTAssertTrue(cancelled.report.outcomeUnknown)
            XCTAssertEqual(cancelled.idempotencyKey, "bonus-key-1")
        }
    }

    func testACustomTransportsErrorIsATransportFailure() async throws {
        struct Broken: Error {}
        final class Throwing: Transport, @unchecked Sendable {
            var calls = 0
            func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
                calls += 1
                throw Broken()
            }
        }
        let transport = Throwing()
        let client = try LeanClient(apiKey: "key", baseUrl: "http://127.0.0.1:9/api", transport: transport, maxRetries: 2)
        do {
            _ = try await client.getGig("g1")
            XCTFail("a broken transport gave a gig")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "transport")
        }
        XCTAssertEqual(transport.calls, 3, "a read is retried after a transport failure")
    }

    func testNoDescriptionOrDumpShowsASecret() throws {
        let request = post("http://127.0.0.1:9/api/gig")
        let response = TransportResponse(status: 200, headers: [(name: "x", value: secret)], body: Data(secret.utf8))
        let client = try LeanClient(apiKey: secret)
        let ob = try OpenBankingClient(auth: .clientCredentials(clientId: "client-1", clientSecret: secret),
                                       environment: .custom("http://127.0.0.1:9", tokenBaseUrl: "http://127.0.0.1:9"))
        let values: [Any] = [request, response, client, ob, try OpenBanking.Auth.appToken(secret),
                             try Webhooks.Verifier(secrets: [secret]), try OpenBanking.Webhooks.Verifier(secrets: [secret])]
        for value in values {
            var dumped = ""
            dump(value, to: &dumped)
            for text in [dumped, "\(value)", String(reflecting: value)] {
                XCTAssertFalse(text.contains(secret) || text.contains("never_shown"), text)
            }
        }
    }

    func testAWebhookBodyIsReadUpToTheLimit() async throws {
        let big = InputStream(data: Data(count: Webhooks.defaultBodyLimit + 10))
        XCTAssertThrowsError(try Webhooks.readBody(from: big)) { error in
            XCTAssertEqual((error as? LeanError)?.kind, .payloadTooLarge)
            XCTAssertEqual((error as? LeanError)?.status, 413)
        }
        XCTAssertThrowsError(try Webhooks.readBody(from: InputStream(data: Data()), declaredLength: 64 << 20))
        let payload = Data("{\"event\":\"gig.completed\",\"data\":{\"gigId\":\"g1\",\"status\":\"COMPLETED\"}}".utf8)
        XCTAssertEqual(try Webhooks.readBody(from: InputStream(data: payload), declaredLength: payload.count), payload)
        let status = try OpenBanking.Webhooks.Verifier(secrets: ["whsec_x"])
            .receive(body: InputStream(data: Data(count: 2048)), declaredLength: nil, signature: nil, limit: 1024) { _ in
                XCTFail("no event past the limit")
            }
        XCTAssertEqual(status, 413)
    }
}

/// A transport whose exchange never ends until its task is cancelled.
private struct Hanging: Transport {
    func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
        try await Task.sleep(nanoseconds: 60_000_000_000)
        throw TransportFailure(.timeout, "never")
    }
}
