import Foundation
import XCTest
@testable import LeanSDK

/// Every webhook event type the sandbox can trigger (`POST /_sandbox/trigger`,
/// sandbox/README.md "Test your webhook handler"), delivered over real HTTP to a receiver on
/// the tests' `LocalServer` built on the package's verifiers: `/payouts` verifies
/// `x-lean-signature` with the API key, `/openbanking` verifies `lean-signature` with the
/// sandbox's default open-banking secret. Each event must verify and parse to its typed event;
/// a bad or missing signature must be refused with the verifier's own error.
final class TriggerTests: XCTestCase {
    private static let apiKey = "sk_test_swift_trigger"
    private static let openBankingSecret = "sandbox-webhook-secret" // the sandbox's default
    private static let payoutsEvents = ["customer.active", "customer.inactive", "gig.completed", "gig.failed",
                                        "specialpayment.completed", "specialpayment.failed"]
    private static let openBankingEvents = [
        "results.ready", "entity.created", "payment.created", "payment.updated", "payment_intent.created",
        "payment_source.created", "payment_source.beneficiary.created", "entity.data.refresh.updated",
        "bank.availability.updated",
    ]

    /// What the receiver verified, and the signature errors it refused with, in arrival order.
    private final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var payoutsEvents: [WebhookEvent] = []
        private var openBankingEvents: [OpenBanking.Event] = []
        private var refusalCodes: [String] = []
        func add(_ event: WebhookEvent) { lock.withLock { payoutsEvents.append(event) } }
        func add(_ event: OpenBanking.Event) { lock.withLock { openBankingEvents.append(event) } }
        func refuse(_ code: String) { lock.withLock { refusalCodes.append(code) } }
        var payouts: [WebhookEvent] { lock.withLock { payoutsEvents } }
        var openBanking: [OpenBanking.Event] { lock.withLock { openBankingEvents } }
        var refusals: [String] { lock.withLock { refusalCodes } }
    }

    private var sandbox: SandboxProcess?
    private var receiver: LocalServer?
    private let received = Received()

    override func setUpWithError() throws {
        // No --webhook-secret: payouts webhooks are signed with the API key.
        sandbox = try SandboxProcess(["--api-key", Self.apiKey])
        let payouts = try Webhooks.Verifier(secrets: [Self.apiKey])
        let openBanking = try OpenBanking.Webhooks.Verifier(secrets: [Self.openBankingSecret])
        let received = received
        receiver = try LocalServer(handle: { request in
            let status: Int
            do {
                if request.path == "/payouts" {
                    received.add(try payouts.constructEvent(payload: request.body,
                                                            signature: request.headers[Webhooks.signatureHeader]))
                    status = 204
                } else {
                    received.add(try openBanking.constructEvent(payload: request.body,
                                                                signature: request.headers[OpenBanking.Webhooks.signatureHeader]))
                    status = OpenBanking.Webhooks.acknowledgeStatus
                }
            } catch let error as LeanError where error.kind == .webhookSignature {
                received.refuse(error.code)
                status = request.path == "/payouts" ? 400 : OpenBanking.Webhooks.rejectStatus
            } catch {
                status = 500
            }
            return "HTTP/1.1 \(status) X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        })
    }

    override func tearDown() {
        sandbox?.stop()
        receiver?.stop()
    }

    /// Asks the sandbox to send `fields`' webhook now; returns its report.
    private func trigger(_ fields: [String: Any]) async throws -> [String: Any] {
        let sandbox = try XCTUnwrap(sandbox)
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let answer = try await URLSessionTransport().send(
            TransportRequest(method: "POST", url: sandbox.url + "/_sandbox/trigger",
                             headers: [(name: "content-type", value: "application/json")], body: body),
            timeout: 30)
        XCTAssertEqual(answer.status, 200, String(decoding: answer.body, as: UTF8.self))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
    }

    /// The report's attempts as "status delivered" texts, to compare in one assertion.
    private func outcomes(_ report: [String: Any]) -> [String] {
        (report["attempts"] as? [[String: Any]] ?? []).map { attempt in
            let status = (attempt["status"] as? NSNumber).map { "\($0.intValue)" } ?? "none"
            let delivered = (attempt["delivered"] as? Bool).map { "\($0)" } ?? "?"
            return "\(status) \(delivered)"
        }
    }

    private func url(_ path: String) throws -> String { try XCTUnwrap(receiver).url + path }

    /// Triggers `event` and one replay of it to the receiver's `path`, both to be answered
    /// `status`; returns the report and what the receiver verified of them (read with
    /// `verified`), checked to be `event` twice by `name`.
    private func triggerWithReplay<Event>(_ event: String, to path: String, answered status: Int,
                                          verified: () -> [Event], named name: (Event) -> String)
        async throws -> (report: [String: Any], verified: [Event]) {
        let before = verified().count
        let report = try await trigger(["event": event, "to": try url(path), "replay": 1])
        XCTAssertEqual(outcomes(report), ["\(status) true", "\(status) true"], event)
        let new = Array(verified().dropFirst(before))
        XCTAssertEqual(new.map(name), [event, event])
        return (report, new)
    }

    func testEveryPayoutsEventIsVerifiedAndParsedAndAReplayKeepsItsDedupKey() async throws {
        for event in Self.payoutsEvents {
            let (report, verified) = try await triggerWithReplay(event, to: "/payouts", answered: 204,
                                                                 verified: { received.payouts }, named: \.event)
            guard verified.count == 2 else { continue }
            let sent = try XCTUnwrap((report["body"] as? [String: Any])?["data"] as? [String: Any], event)
            let status = event.hasSuffix(".failed") ? "FAILED" : "SUCCESS"
            switch verified[0].data {
            case let .customer(customer):
                XCTAssertTrue(event.hasPrefix("customer."), event)
                XCTAssertEqual(customer.partnerUserId, sent["partnerUserId"] as? String)
                XCTAssertEqual(customer.status, event == "customer.active" ? "ACTIVE" : "INACTIVE")
            case let .gig(gig):
                XCTAssertTrue(event.hasPrefix("gig."), event)
                XCTAssertEqual(gig.gigId, sent["gigId"] as? String)
                XCTAssertEqual(gig.totalAmount, (sent["totalAmount"] as? String).flatMap { Decimal(string: $0) })
                XCTAssertEqual(gig.status, status)
            case let .specialPayment(payment):
                XCTAssertTrue(event.hasPrefix("specialpayment."), event)
                XCTAssertEqual(payment.id, sent["id"] as? String)
                XCTAssertEqual(payment.amount, (sent["amount"] as? String).flatMap { Decimal(string: $0) })
                XCTAssertEqual(payment.status, status)
            case .other:
                XCTFail("\(event) was not parsed to its typed object: \(verified[0].json)")
            }
            // Payouts webhooks carry no id: a handler skips the replay by the core's key.
            XCTAssertNotNil(verified[0].dedupKey, event)
            XCTAssertEqual(verified[0].dedupKey, verified[1].dedupKey, event)
        }
    }

    func testEveryOpenBankingEventIsVerifiedAndParsedAndAReplayKeepsItsEventId() async throws {
        for event in Self.openBankingEvents {
            let (report, verified) = try await triggerWithReplay(event, to: "/openbanking", answered: 200,
                                                                 verified: { received.openBanking }, named: \.type)
            guard verified.count == 2 else { continue }
            let sent = try XCTUnwrap(report["body"] as? [String: Any], event)
            let payload = try XCTUnwrap(sent["payload"] as? [String: Any], event)
            XCTAssertEqual(verified[0].eventId, sent["event_id"] as? String, event)
            XCTAssertEqual(verified[1].eventId, sent["event_id"] as? String, event)
            switch event {
            case "results.ready":
                XCTAssertEqual(verified[0].resultsId, payload["id"] as? String)
            case "entity.created":
                let entity = try XCTUnwrap(verified[0].entity, event)
                XCTAssertEqual(entity.id, payload["id"] as? String)
                XCTAssertEqual(entity.customerId, payload["customer_id"] as? String)
                XCTAssertEqual(entity.permissions?.accounts, true)
            case "payment.created", "payment.updated":
                XCTAssertEqual(verified[0].payment?.id, payload["id"] as? String, event)
            case "payment_intent.created":
                XCTAssertEqual(verified[0].paymentIntent?.intentId, payload["intent_id"] as? String, event)
            case "payment_source.created", "payment_source.beneficiary.created":
                XCTAssertEqual(verified[0].paymentSource?.id, payload["id"] as? String, event)
            case "entity.data.refresh.updated":
                XCTAssertEqual(verified[0].dataRefresh?.refreshId, payload["refresh_id"] as? String, event)
            case "bank.availability.updated":
                XCTAssertEqual(verified[0].bankAvailability?.identifier, payload["identifier"] as? String, event)
            default:
                XCTFail("\(event) is not checked")
            }
        }
    }

    func testBadAndMissingSignaturesAreRefusedWithTheVerifiersSignatureError() async throws {
        let targets = [("gig.failed", "/payouts", 400), ("payment.updated", "/openbanking", OpenBanking.Webhooks.rejectStatus)]
        let refusals = [("bad_signature", "signature_mismatch"), ("unsigned", "signature_missing")]
        for (event, path, status) in targets {
            for (option, code) in refusals {
                let name = "\(event) \(option)"
                let verifiedBefore = received.payouts.count + received.openBanking.count
                let refusedBefore = received.refusals.count
                let report = try await trigger(["event": event, "to": try url(path), option: true])
                XCTAssertEqual(outcomes(report), ["\(status) false"], name)
                XCTAssertEqual(received.payouts.count + received.openBanking.count, verifiedBefore, "\(name) was accepted")
                XCTAssertEqual(Array(received.refusals.dropFirst(refusedBefore)), [code], name)
                XCTAssertEqual(report["signature"] is NSNull, option == "unsigned", "\(name): \(report["signature"] ?? "absent")")
            }
        }
    }
}
