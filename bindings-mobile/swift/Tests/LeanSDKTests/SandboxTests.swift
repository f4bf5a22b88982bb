import Foundation
import XCTest
@testable import LeanSDK

/// The partner flow against the local sandbox (loopback only) over `URLSessionTransport`, and
/// on Linux payouts calls over `CurlTransport` too.
final class SandboxTests: XCTestCase {
    private static let key = "sk_test_swift_e2e"
    private var sandbox: SandboxProcess?
    private var baseUrl = ""

    override func setUpWithError() throws {
        let sandbox = try SandboxProcess(["--api-key", Self.key, "--approval-delay", "100ms", "--settlement-delay", "100ms"])
        self.sandbox = sandbox
        baseUrl = sandbox.url + "/api"
    }

    override func tearDown() {
        sandbox?.stop()
    }

    func testThePartnerFlow() async throws {
        let client = try LeanClient(apiKey: Self.key, baseUrl: baseUrl)
        let worker = Self.worker("uid_swift_1", email: "jane.swift@example.com")
        let created = try await client.createCustomer(worker)
        XCTAssertEqual(created.status, "PENDING")
        let got1 = try await client.createCustomer(worker)
        XCTAssertEqual(got1.partnerUserId, "uid_swift_1", "reconciled, not duplicated")

        try await moveToCupertino(client, "uid_swift_1")
        let got2 = try await client.submitApplication("uid_swift_1")
        XCTAssertEqual(got2.status, "submitted")
        var status = ""
        for _ in 0..<100 where status != "ACTIVE" {
            try await Task.sleep(nanoseconds: 50_000_000)
            status = try await client.getCustomer("uid_swift_1").status ?? ""
        }
        XCTAssertEqual(status, "ACTIVE")

        let gig = NewGig(partnerUserId: "uid_swift_1", totalAmount: Decimal(string: "15.00")!, tips: 3, expenses: Decimal(string: "2.5")!,
                         description: "Gig Payout", gigId: "gig_swift_1", startTime: "2021-03-01T21:04:04",
                         endTime: "2021-03-01T21:31:05")
        let paid = try await client.createGig(gig)
        XCTAssertEqual(paid.totalAmount, Decimal(string: "15"))
        XCTAssertEqual(paid.expenses, Decimal(string: "2.50"))
        let got3 = try await client.createGig(gig)
        XCTAssertEqual(got3.gigId, "gig_swift_1", "the same gig is never paid twice")
        let got4 = try await client.listGigs()
        XCTAssertEqual(got4.filter { $0.gigId == "gig_swift_1" }.count, 1)
        var different = gig
        different.totalAmount = 16
        do {
            _ = try await client.createGig(different)
            XCTFail("expected a conflict")
        } catch let e as LeanError {
            XCTAssertEqual(e.code, "conflict")
        }

        let bonus = NewSpecialPayment(partnerUserId: "uid_swift_1", amount: Decimal(string: "4.56")!, paymentType: "reimbursement",
                                      gigId: "gig_swift_1", description: "Parking", userdata: #"{"ticket":42}"#)
        let payment = try await client.createSpecialPayment(bonus, idempotencyKey: "payment-swift-1")
        XCTAssertEqual(payment.amount, Decimal(string: "4.56"))
        XCTAssertEqual(payment.userdata, #"{"ticket":42}"#)
        let got5 = try await client.createSpecialPayment(bonus, idempotencyKey: "payment-swift-1")
        XCTAssertEqual(got5.id, payment.id)
        let got6 = try await client.getSpecialPayment(payment.id)
        XCTAssertEqual(got6.id, payment.id)
        let got7 = try await client.listSpecialPayments()
        XCTAssertEqual(got7.filter { $0.id == payment.id }.count, 1)

        var gigStatus = ""
        for _ in 0..<100 where gigStatus != "SUCCESS" {
            try await Task.sleep(nanoseconds: 50_000_000)
            gigStatus = try await client.getGig("gig_swift_1").status ?? ""
        }
        XCTAssertEqual(gigStatus, "SUCCESS")
    }

    func testApiErrorsAreTyped() async throws {
        let client = try LeanClient(apiKey: Self.key, baseUrl: baseUrl, maxRetries: 0)
        do {
            _ = try await client.getGig("no_such_gig")
            XCTFail("expected not_found")
        } catch let e as LeanError {
            XCTAssertEqual(e.code, "not_found")
            XCTAssertEqual(e.status, 404)
            XCTAssertNotNil(e.requestId)
        }
        // The sandbox answers a wrong key 401 with `WWW-Authenticate: Basic`: an authentication
        // challenge to URLSession, which must still reach the engine as `unauthorized`.
        let stranger = try LeanClient(apiKey: "sk_wrong_key", baseUrl: baseUrl, maxRetries: 0)
        do {
            _ = try await stranger.listGigs()
            XCTFail("expected unauthorized")
        } catch let e as LeanError {
            XCTAssertEqual(e.code, "unauthorized")
            XCTAssertEqual(e.status, 401)
            XCTAssertFalse(e.message.contains("sk_wrong_key"))
        }
    }

    func testTransportReturnsAChallenged401AsAResponse() async throws {
        try await assertChallenged401(over: URLSessionTransport())
    }

    #if os(Linux)
    /// Payouts over libcurl: a create (POST with a body), a PATCH, a read, a typed 404, and the
    /// challenged 401 handed back whole.
    func testPayoutsCallsOverCurlTransport() async throws {
        let client = try LeanClient(apiKey: Self.key, baseUrl: baseUrl, transport: CurlTransport())
        let worker = Self.worker("uid_curl_1", email: "jane.curl@example.com")
        let created = try await client.createCustomer(worker)
        XCTAssertEqual(created.partnerUserId, "uid_curl_1")
        try await moveToCupertino(client, "uid_curl_1")
        let read = try await client.getCustomer("uid_curl_1")
        let readJson = try read.json
        XCTAssertTrue(readJson.contains("Cupertino"), readJson)
        do {
            _ = try await client.getGig("no_such_gig")
            XCTFail("expected not_found")
        } catch let e as LeanError {
            XCTAssertEqual(e.code, "not_found")
            XCTAssertNotNil(e.requestId, "response headers arrive")
        }
        try await assertChallenged401(over: CurlTransport())
    }
    #endif

    /// A worker of the sandbox's sample data, under `partnerUserId`.
    private static func worker(_ partnerUserId: String, email: String) -> NewCustomer {
        NewCustomer(firstName: "Jane", middleName: nil, lastName: "Doe", birthday: "1980-12-31",
                    phoneNumber: "4085008002", email: email, street: "700 Treehouse Drive", street2: nil,
                    city: "San Jose", state: "CA", postalCode: "95101", partnerUserId: partnerUserId,
                    registrationDate: "2020-01-01")
    }

    /// Moves a pending worker to Cupertino; the answer must say so.
    private func moveToCupertino(_ client: LeanClient, _ partnerUserId: String) async throws {
        var update = CustomerUpdate()
        update.city = "Cupertino"
        let updatedJson = try await client.updateCustomer(partnerUserId, update).json
        XCTAssertTrue(updatedJson.contains("Cupertino"), updatedJson)
    }

    /// The transport itself hands a challenged 401 back whole: status, headers and the body
    /// the SDK parses, without answering the challenge with a credential of its own.
    private func assertChallenged401(over transport: Transport) async throws {
        let request = TransportRequest(method: "GET", url: baseUrl + "/gigs", headers: [], body: nil)
        let response = try await transport.send(request, timeout: 10)
        XCTAssertEqual(response.status, 401)
        XCTAssertTrue(response.headers.contains { $0.name.lowercased() == "www-authenticate" })
        XCTAssertFalse(response.body.isEmpty)
    }
}
