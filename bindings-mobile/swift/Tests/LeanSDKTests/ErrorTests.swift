import Foundation
import XCTest
@testable import LeanSDK

/// The error contract: codes, catchable panics, no secret in any text.
final class ErrorTests: XCTestCase {
    func testARustPanicIsACatchableInternalError() throws {
        XCTAssertThrowsError(try native { try panicForTests(message: "deliberate") }) { error in
            let e = error as? LeanError
            XCTAssertEqual(e?.code, "internal")
            XCTAssertEqual(e?.kind, .internal)
            XCTAssertTrue(e?.message.contains("deliberate") ?? false, "\(error)")
        }
        // The library is still usable after the panic.
        XCTAssertEqual(try Webhooks.sign(secret: "s", payload: Data("x".utf8)).count, 28)
    }

    func testEveryCodeTheCoreReportsHasAKindOfItsOwn() {
        let codes = errorCodes()
        XCTAssertTrue(codes.contains("validation") && codes.contains("internal"), "\(codes)")
        for code in codes {
            let e = LeanError(ErrorDetails(code: code, message: "m", fieldErrors: [], status: nil, body: nil, apiMessage: nil,
                                           apiCode: nil, granularStatusCode: nil, requestId: nil, retryAfterMs: nil, outcomeUnknown: false,
                                           idempotencyKey: nil, sentIds: [:], applied: false, location: nil,
                                           attempts: [NativeAttempt(number: 1, phase: .operation, status: 503, requestId: "req-1",
                                                                    transportError: nil, elapsedMs: 4)]))
            XCTAssertEqual(e.code, code)
            XCTAssertEqual(e.attempts, [Attempt(number: 1, phase: .operation, status: 503, requestId: "req-1",
                                                transportError: nil, elapsedMs: 4)], code)
            if code != "internal" { XCTAssertNotEqual(e.kind, .internal, "no kind of its own for \(code)") }
        }
    }

    func testEveryFailingFieldIsReportedAtOnce() async throws {
        let client = try LeanClient(apiKey: "key", transport: Scripted([]))
        XCTAssertEqual(JSONText.write(["a": [12.5, Decimal(string: "1.50")!, 1, nil] as [Any?]]), #"{"a":[12.5,"1.5",1,null]}"#)
        do {
            _ = try await client.execute(["operation": "createGig",
                                          "input": ["totalAmount": 12.5 as Double, "tips": Decimal(string: "1.999")!, "bogus": 1 as Int]])
            XCTFail("expected a validation error")
        } catch let e as LeanError {
            XCTAssertEqual(e.kind, .validation)
            let byField = Dictionary(e.fieldErrors.map { ($0.field, $0.code) }, uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(byField["totalAmount"], "invalid_type", "a Double amount is refused: \(byField)")
            XCTAssertEqual(byField["tips"], "too_many_decimals")
            XCTAssertEqual(byField["bogus"], "unknown_field")
            XCTAssertEqual(byField["partnerUserId"], "required")
        }
    }

    func testTheApiKeyNeverAppearsInText() async throws {
        let key = "sk_test_very_secret_value"
        let recorder = Scripted([.init(method: nil, path: nil, reply: nil)])
        let client = try LeanClient(apiKey: key, baseUrl: "http://127.0.0.1:9", transport: recorder, maxRetries: 0)
        do {
            _ = try await client.listGigs()
            XCTFail("expected a transport error")
        } catch let e as LeanError {
            XCTAssertEqual(e.kind, .transport)
            XCTAssertFalse(e.outcomeUnknown)
            let basic = Data("\(key):".utf8).base64EncodedString()
            for text in [client.description, "\(recorder.sent[0])", e.message, "\(e)"] {
                XCTAssertFalse(text.contains("very_secret"), text)
                XCTAssertFalse(text.contains(basic), text)
            }
        }
        XCTAssertThrowsError(try LeanClient(apiKey: "bad key")) { XCTAssertEqual(($0 as? LeanError)?.code, "configuration") }
        XCTAssertThrowsError(try LeanClient(apiKey: "k", baseUrl: "http://example.com")) {
            XCTAssertEqual(($0 as? LeanError)?.code, "configuration")
        }
    }

    func testAVerifierNeverShowsItsSecrets() throws {
        let verifier = try Webhooks.Verifier(secrets: ["whsec_hidden"])
        XCTAssertFalse("\(verifier)".contains("hidden"))
        XCTAssertThrowsError(try verifier.verify(payload: Data("{}".utf8), signature: "bad")) {
            XCTAssertEqual(($0 as? LeanError)?.code, "signature_malformed")
        }
    }
}
