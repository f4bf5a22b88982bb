import Foundation
import XCTest
@testable import LeanSDK

/// Open banking end to end against the local sandbox (loopback only): the flow over plain HTTP
/// (`URLSessionTransport`), OAuth with renewal, and the sandbox's mTLS listener (on Linux over
/// `CurlTransport`: the right, no, and an untrusted client certificate).
final class OpenBankingSandboxTests: XCTestCase {
    private var sandbox: SandboxProcess?
    private var url = ""
    private var mtlsUrl = ""

    override func setUpWithError() throws {
        let sandbox = try SandboxProcess(["--api-key", "unused", "--ob-results-delay", "200ms", "--ob-token-ttl", "2"], tls: true)
        self.sandbox = sandbox
        url = sandbox.url
        mtlsUrl = sandbox.mtlsUrl
    }

    override func tearDown() {
        sandbox?.stop()
    }

    /// A client of the sandbox over plain HTTP, with the sandbox's app token unless `auth` is given.
    private func plainClient(auth: OpenBanking.Auth? = nil, transport: Transport? = nil) throws -> OpenBankingClient {
        try OpenBankingClient(auth: auth ?? .appToken("sandbox-app-token"), environment: .custom(url, tokenBaseUrl: url),
                              transport: transport)
    }

    /// The sandbox's OAuth client.
    private var oauthCredentials: OpenBanking.Auth {
        .clientCredentials(clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret")
    }

    /// A receiver the sandbox sends its open-banking webhooks to; the caller stops it.
    private func receiveWebhooks() async throws -> WebhookReceiver {
        let receiver = try WebhookReceiver(verifier: .init(secrets: ["sandbox-webhook-secret"]))
        _ = try await admin("/_sandbox/webhooks", #"{"url": "http://127.0.0.1:\#(receiver.port)/hooks", "product": "openbanking"}"#)
        return receiver
    }

    /// The call must fail with a 404.
    private func assertNotFound<T>(_ call: () async throws -> T, line: UInt = #line) async {
        do {
            _ = try await call()
            XCTFail("expected not found", line: line)
        } catch let error as LeanError {
            XCTAssertEqual(error.status, 404, line: line)
        } catch {
            XCTFail("\(error)", line: line)
        }
    }

    private func admin(_ path: String, _ body: String = "{}") async throws -> [String: Any] {
        let response = try await URLSessionTransport().send(
            TransportRequest(method: "POST", url: url + path, headers: [(name: "content-type", value: "application/json")], body: body),
            timeout: 10)
        XCTAssertEqual(response.status, 200, path)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    func testTheWholeFlowOverPlainHttp() async throws {
        let receiver = try await receiveWebhooks()
        defer { receiver.stop() }
        let lean = try plainClient()
        let appUserId = "swift-\(UUID().uuidString)"
        let customer = try await lean.createCustomer(.init(appUserId: appUserId))
        XCTAssertEqual(customer.appUserId, appUserId)
        let again = try await lean.createCustomer(.init(appUserId: appUserId))
        XCTAssertEqual(again.customerId, customer.customerId, "the 409 is resolved to the same customer")
        let byId = try await lean.getCustomer(customer.customerId)
        XCTAssertEqual(byId.customerId, customer.customerId)
        let byAppUser = try await lean.getCustomerByAppUserId(appUserId)
        XCTAssertEqual(byAppUser.customerId, customer.customerId)
        let page = try await lean.listCustomers(pageNumber: 0, pageSize: 100)
        XCTAssertTrue(page.customers.contains { $0.customerId == customer.customerId })

        let connected = try await admin("/_sandbox/openbanking/customers/\(customer.customerId)/entities")
        let entityId = try XCTUnwrap(connected["id"] as? String)
        let accountId = try XCTUnwrap(((connected["accounts"] as? [[String: Any]])?.first)?["account_id"] as? String)
        let entities = try await lean.listEntities(customerId: customer.customerId)
        XCTAssertEqual(entities.map(\.id), [entityId])
        let entity = try await lean.getEntity(customerId: customer.customerId, entityId: entityId)
        XCTAssertEqual(entity.customerId, customer.customerId)
        let identity = try await lean.getIdentity(entityId: entityId)
        XCTAssertEqual(identity.status, "OK")
        let accounts = try await lean.getAccounts(entityId: entityId)
        XCTAssertTrue(accounts.payloadJson?.contains(accountId) ?? false)

        // Asynchronous data: PENDING now, then the verified results.ready webhook, then the results.
        let pending = try await lean.getBalance(entityId: entityId, accountId: accountId, async: true)
        XCTAssertTrue(pending.isPending, "\(pending)")
        let resultsId = try XCTUnwrap(pending.resultsId)
        var ready: OpenBanking.Event?
        for _ in 0..<400 where ready == nil {
            try await Task.sleep(nanoseconds: 50_000_000)
            ready = receiver.events.first { $0.type == "results.ready" && $0.resultsId == resultsId }
        }
        XCTAssertNotNil(ready?.eventId, "results.ready received, verified, with an event_id")
        XCTAssertTrue(receiver.events.contains { $0.type == "entity.created" && $0.entity?.id == entityId })
        XCTAssertEqual(Set(receiver.answered), [200], "every webhook answered 200")
        let balance = try await lean.getDataResults(resultsId)
        XCTAssertEqual(balance.status, "OK")
        XCTAssertTrue(balance.payloadJson?.contains("12450.75") ?? false, balance.payloadJson ?? "")
        let transactions = try await lean.getTransactions(entityId: entityId, accountId: accountId)
        XCTAssertEqual(transactions.status, "OK")

        do {
            _ = try await lean.getBalance(entityId: entityId, accountId: "sandbox-fail-1")
            XCTFail("expected FAILED")
        } catch let error as LeanError {
            XCTAssertEqual(error.apiCode, "FAILED")
        }

        let destination = try await lean.createPaymentDestination(
            .init(displayName: "Main account", name: "Lean Test LLC", bankIdentifier: "LEANMB1", iban: "AE070331234567890123456"))
        let destinationId = try XCTUnwrap(destination.id)
        let destinations = try await lean.listPaymentDestinations()
        XCTAssertTrue(destinations.contains { $0.id == destinationId })
        let intent = try await lean.createPaymentIntent(.init(
            customerId: customer.customerId, amount: Decimal(string: "100.50")!, currency: "aed",
            description: "Order 42", paymentDestinationId: destinationId))
        XCTAssertEqual(intent.amount, Decimal(string: "100.50"))
        XCTAssertEqual(intent.currency, "AED")
        let fetched = try await lean.getPaymentIntent(intent.paymentIntentId)
        XCTAssertEqual(fetched.paymentIntentId, intent.paymentIntentId)
        // Codable results: round-trip through JSONEncoder, the amount exact.
        let encoded = try JSONEncoder().encode(fetched)
        XCTAssertEqual(try JSONDecoder().decode(OpenBanking.PaymentIntent.self, from: encoded), fetched)
    }

    /// A new customer with one connected bank: the customer, the entity id and its first account id.
    private func connectedEntity(_ lean: OpenBankingClient, _ prefix: String) async throws
        -> (customer: OpenBanking.Customer, entityId: String, accountId: String) {
        let customer = try await lean.createCustomer(.init(appUserId: "\(prefix)-\(UUID().uuidString)"))
        let connected = try await admin("/_sandbox/openbanking/customers/\(customer.customerId)/entities")
        let entityId = try XCTUnwrap(connected["id"] as? String)
        let accountId = try XCTUnwrap(((connected["accounts"] as? [[String: Any]])?.first)?["account_id"] as? String)
        return (customer, entityId, accountId)
    }

    private func record(_ json: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    func testStoredDataIsReadPageByPage() async throws {
        let lean = try plainClient()
        let (_, entityId, accountId) = try await connectedEntity(lean, "swift-v2")
        let accounts = try await lean.listAccounts(entityId: entityId)
        XCTAssertEqual(accounts.status, "OK")
        let accountsJson = try accounts.json
        XCTAssertTrue(try accounts.recordsJson.contains { record($0)["account_id"] as? String == accountId }, accountsJson)
        XCTAssertNotNil(record(accountsJson)["page"], accountsJson)
        let identities = try await lean.listIdentities(entityId: entityId)
        XCTAssertFalse(try identities.recordsJson.isEmpty)

        let reads: [(String, (Int?, Int?) async throws -> OpenBanking.DataPage)] = [
            ("balances", { try await lean.listAccountBalances(entityId: entityId, accountId: accountId, pageNumber: $0, pageSize: $1) }),
            ("transactions", { try await lean.listAccountTransactions(entityId: entityId, accountId: accountId, pageNumber: $0, pageSize: $1) }),
            ("identities", { try await lean.listAccountIdentities(entityId: entityId, accountId: accountId, pageNumber: $0, pageSize: $1) }),
            ("beneficiaries", { try await lean.listAccountBeneficiaries(entityId: entityId, accountId: accountId, pageNumber: $0, pageSize: $1) }),
            ("direct debits", { try await lean.listAccountDirectDebits(entityId: entityId, accountId: accountId, pageNumber: $0, pageSize: $1) }),
            ("standing orders", { try await lean.listAccountStandingOrders(entityId: entityId, accountId: accountId, pageNumber: $0, pageSize: $1) }),
            ("scheduled payments", { try await lean.listAccountScheduledPayments(entityId: entityId, accountId: accountId, pageNumber: $0, pageSize: $1) }),
        ]
        for (name, read) in reads {
            let all = try await read(nil, nil)
            XCTAssertEqual(all.status, "OK", name)
            let records = try all.recordsJson
            XCTAssertFalse(records.isEmpty, name)
            // One record per page: the second page starts with the second record.
            let first = try await read(0, 1)
            XCTAssertEqual(try first.recordsJson, Array(records.prefix(1)), name)
            if records.count > 1 {
                let second = try await read(1, 1)
                XCTAssertEqual(try second.recordsJson, [records[1]], name)
            }
        }
        // Amounts stay exact: sent as the number 12450.75, read as its text.
        let balances = try await lean.listAccountBalances(entityId: entityId, accountId: accountId)
        XCTAssertTrue(balances.dataJson.contains(#""balance":"12450.75""#), balances.dataJson)

        // Asked of the bank now, with Lean's insights, or narrowed to a period.
        let live = record(try await lean.getTransactions(entityId: entityId, accountId: accountId, insights: true).payloadJson ?? "")
        let count = (live["transactions"] as? [Any])?.count ?? 0
        XCTAssertGreaterThan(count, 0, "\(live)")
        XCTAssertEqual(((live["insights"] as? [String: Any])?["transaction_count"] as? NSNumber)?.intValue, count)
        let period = record(try await lean.getTransactions(entityId: entityId, accountId: accountId,
                                                           startDate: "2001-01-01", endDate: "2001-01-31").payloadJson ?? "")
        XCTAssertEqual((period["transactions"] as? [Any])?.count, 0)
        XCTAssertNil(period["insights"])

        // The bank's failure is thrown with the code a program branches on.
        do {
            _ = try await lean.listAccountBalances(entityId: entityId, accountId: "sandbox-fail-1")
            XCTFail("expected FAILED")
        } catch let error as LeanError {
            XCTAssertEqual(error.apiCode, "FAILED")
            XCTAssertEqual(error.granularStatusCode, "SANDBOX_FAIL_TRIGGER")
        }
        await assertNotFound { try await lean.listAccountBalances(entityId: entityId, accountId: "no-such-account") }
    }

    func testADataRefreshIsFollowedToItsEnd() async throws {
        let receiver = try await receiveWebhooks()
        defer { receiver.stop() }
        let lean = try plainClient()
        let (customer, entityId, accountId) = try await connectedEntity(lean, "swift-refresh")
        let started = try await lean.createDataRefresh(entityId: entityId)
        XCTAssertEqual(started.entityId, entityId)
        XCTAssertEqual(started.customerId, customer.customerId)
        XCTAssertEqual(started.status, "IN_PROGRESS")
        var updated: OpenBanking.Event?
        for _ in 0..<400 where updated == nil {
            try await Task.sleep(nanoseconds: 50_000_000)
            updated = receiver.events.first { $0.type == "entity.data.refresh.updated" && $0.dataRefresh?.refreshId == started.refreshId }
        }
        XCTAssertNotNil(updated, "entity.data.refresh.updated received and verified")
        let done = try await lean.getDataRefresh(started.refreshId)
        XCTAssertEqual(done.status, "COMPLETED")
        XCTAssertEqual(done.accounts, "OK")
        XCTAssertTrue(done.accountData.contains { $0.accountId == accountId }, "\(done)")
        let refreshes = try await lean.listDataRefreshes(entityId: entityId, pageNumber: 0, pageSize: 10)
        XCTAssertEqual(refreshes.map(\.refreshId), [started.refreshId])
        await assertNotFound { try await lean.getDataRefresh("00000000-0000-4000-8000-000000000000") }
    }

    func testConnectionsAndIntentsAreFoundAgain() async throws {
        let lean = try plainClient()
        let (customer, entityId, _) = try await connectedEntity(lean, "swift-by-date")
        let day = { (offset: Double) -> String in
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            return formatter.string(from: Date().addingTimeInterval(offset * 86_400))
        }
        let connected = try await lean.listEntitiesByDate(startDate: day(-1), endDate: day(1), pageNumber: 0, pageSize: 1000)
        XCTAssertTrue(connected.contains { $0.id == entityId && $0.customerId == customer.customerId })
        let none = try await lean.listEntitiesByDate(startDate: "2001-01-01", endDate: "2001-01-31")
        XCTAssertTrue(none.isEmpty)

        // Lean's own destination form: no bank identifier, the bank type and the holder's id.
        let destination = try await lean.createPaymentDestination(.init(
            displayName: "Supplier", name: "Supplier LLC", iban: "AE070331234567890123456", bankType: "retail",
            governmentIdentifier: .init(type: "EMIRATES_ID", value: "784-1990-1234567-1")))
        XCTAssertNil(destination.bankIdentifier)
        XCTAssertEqual(destination.bankType, "RETAIL")
        XCTAssertEqual(destination.governmentIdentifier?.kind, "EMIRATES_ID")
        XCTAssertEqual(destination.governmentIdentifier?.value, "784-1990-1234567-1")

        let intent = try await lean.createPaymentIntent(.init(
            customerId: customer.customerId, amount: Decimal(string: "7.25")!, currency: "AED",
            paymentDestinationId: destination.id))
        let intents = try await lean.listPaymentIntents()
        let found = intents.filter { $0.paymentIntentId == intent.paymentIntentId }
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.amount, Decimal(string: "7.25"))
        XCTAssertEqual(found.first?.customerId, customer.customerId)
    }

    func testBanksAndAPaymentById() async throws {
        let lean = try plainClient()
        let banks = try await lean.listBanks()
        XCTAssertEqual(banks.first?.identifier, "LEANMB1")
        let personal = try await lean.listBanks(accountTypes: "PERSONAL")
        XCTAssertTrue(!personal.isEmpty && personal.count < banks.count)
        XCTAssertTrue(personal.allSatisfy { $0.accountType == "PERSONAL" })

        let customer = try await lean.createCustomer(.init(appUserId: "payer-\(UUID().uuidString)"))
        let intent = try await lean.createPaymentIntent(.init(
            customerId: customer.customerId, amount: Decimal(string: "12.30")!, currency: "AED"))
        let paid = try await admin("/_sandbox/openbanking/intents/\(intent.paymentIntentId)/pay")
        let payment = try await lean.getPayment(try XCTUnwrap(paid["id"] as? String))
        XCTAssertEqual(payment.amount, Decimal(string: "12.30"))
        XCTAssertEqual(payment.intentId, intent.paymentIntentId)
        XCTAssertEqual(payment.customerId, customer.customerId)
        XCTAssertEqual(payment.status, "PENDING_WITH_BANK")
        await assertNotFound { try await lean.getPayment("00000000-0000-4000-8000-000000000000") }
    }

    func testOAuthTokensAreFetchedThenRenewed() async throws {
        final class Counting: Transport, @unchecked Sendable {
            let inner = URLSessionTransport()
            private let lock = NSLock()
            private var count = 0
            var tokenRequests: Int { lock.withLock { count } }
            func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
                if request.url.hasSuffix("/oauth2/token") { lock.withLock { count += 1 } }
                return try await inner.send(request, timeout: timeout)
            }
        }
        let counting = Counting()
        let lean = try plainClient(auth: oauthCredentials, transport: counting)
        _ = try await lean.listPaymentDestinations()
        _ = try await lean.listPaymentDestinations()
        XCTAssertEqual(counting.tokenRequests, 1, "one token for both calls")
        try await Task.sleep(nanoseconds: 1_200_000_000) // 2 s tokens: renewed after half their life
        _ = try await lean.listPaymentDestinations()
        XCTAssertEqual(counting.tokenRequests, 2, "renewed before expiry")
    }

    func testTheBackendMintsACustomerTokenForTheLinkSdk() async throws {
        let backend = try plainClient(auth: oauthCredentials)
        let customer = try await backend.createCustomer(.init(appUserId: "swift-scoped-\(UUID().uuidString)"))
        let token = try await backend.customerToken(customer.customerId)
        XCTAssertEqual(token.scope, "customer.\(customer.customerId)")
        XCTAssertGreaterThan(token.expiresAt, Date())
        XCTAssertFalse("\(token)".contains(token.accessToken))
        // What the app does with it: read its own customer, and nothing else.
        let device = try OpenBankingClient(auth: .accessToken(token.accessToken), environment: .custom(url))
        let mine = try await device.getCustomer(customer.customerId)
        XCTAssertEqual(mine.customerId, customer.customerId)
        do {
            _ = try await device.listCustomers()
            XCTFail("expected a refusal")
        } catch let error as LeanError {
            XCTAssertEqual(error.status, 403)
        }
    }

    private func mtlsEnvironment() throws -> OpenBanking.Environment {
        try .custom(mtlsUrl, tokenBaseUrl: mtlsUrl, requiresMtls: true)
    }

    #if os(Linux)
    /// The client given `mtls` presents it through `CurlTransport`: PEM files (read by libcurl)
    /// and PEM text (in-memory blobs) both complete the mutual handshake, for the app token and
    /// for OAuth through the same listener.
    func testMutualTlsPresentsTheClientCertificate() async throws {
        let sandbox = try XCTUnwrap(sandbox)
        let files = try OpenBanking.MtlsCredentials.pemFiles(
            certificateChain: sandbox.cert("client.pem"), privateKey: sandbox.cert("client.key"), caChain: sandbox.cert("ca.pem"))
        let lean = try OpenBankingClient(auth: .appToken("sandbox-app-token"), environment: mtlsEnvironment(), mtls: files)
        let appUserId = "mtls-\(UUID().uuidString)"
        let customer = try await lean.createCustomer(.init(appUserId: appUserId))
        XCTAssertEqual(customer.appUserId, appUserId)
        let again = try await lean.getCustomerByAppUserId(appUserId)
        XCTAssertEqual(again.customerId, customer.customerId)

        func pem(_ name: String) throws -> String { try String(contentsOf: sandbox.cert(name), encoding: .utf8) }
        let text = try OpenBanking.MtlsCredentials.pem(certificateChain: pem("client.pem"), privateKey: pem("client.key"),
                                                       caChain: pem("ca.pem"))
        let oauth = try OpenBankingClient(auth: oauthCredentials, environment: mtlsEnvironment(), mtls: text)
        _ = try await oauth.listPaymentDestinations()
    }

    /// Trusting the sandbox's CA but presenting no certificate, or presenting one from a CA the
    /// listener does not trust: the call fails as `transport`, saying what to do.
    func testWithoutTheRightClientCertificateTheCallFailsAsTransport() async throws {
        let sandbox = try XCTUnwrap(sandbox)
        let caOnly = try CurlTransport(caChainPem: String(contentsOf: sandbox.cert("ca.pem"), encoding: .utf8))
        let none = try OpenBankingClient(auth: .appToken("sandbox-app-token"), environment: mtlsEnvironment(),
                                         transport: caOnly, maxRetries: 0)
        await assertTransportError(none, saying: "pass the client certificate", "mtls:")

        let untrusted = try OpenBanking.MtlsCredentials.pemFiles(
            certificateChain: sandbox.cert("untrusted-client.pem"), privateKey: sandbox.cert("untrusted-client.key"),
            caChain: sandbox.cert("ca.pem"))
        let wrong = try OpenBankingClient(auth: .appToken("sandbox-app-token"), environment: mtlsEnvironment(),
                                          mtls: untrusted, maxRetries: 0)
        await assertTransportError(wrong, saying: "client certificate is the one Lean issued")

        // Without the CA chain the sandbox's own certificate is not trusted: that is said too.
        let systemRoots = try OpenBankingClient(auth: .appToken("sandbox-app-token"), environment: mtlsEnvironment(),
                                                transport: CurlTransport(), maxRetries: 0)
        await assertTransportError(systemRoots, saying: "pass the CA chain")
    }

    /// A call of `client` fails as `transport`, with a message that says each of `hints`.
    private func assertTransportError(_ client: OpenBankingClient, saying hints: String..., line: UInt = #line) async {
        do {
            _ = try await client.listPaymentDestinations()
            XCTFail("expected a transport error", line: line)
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "transport", line: line)
            for hint in hints { XCTAssertTrue(error.message.contains(hint), error.message, line: line) }
        } catch {
            XCTFail("\(error)", line: line)
        }
    }

    func testUrlSessionTransportRefusesMtlsOnLinuxNamingCurlTransport() throws {
        let sandbox = try XCTUnwrap(sandbox)
        let credentials = try OpenBanking.MtlsCredentials.pemFiles(
            certificateChain: sandbox.cert("client.pem"), privateKey: sandbox.cert("client.key"))
        XCTAssertThrowsError(try URLSessionTransport(mtls: credentials)) {
            XCTAssertEqual(($0 as? LeanError)?.code, "configuration")
            XCTAssertTrue(($0 as? LeanError)?.message.contains("CurlTransport(mtls:)") ?? false, "\($0)")
        }
    }
    #else
    func testApplePlatformsNeedPkcs12() throws {
        let sandbox = try XCTUnwrap(sandbox)
        let credentials = try OpenBanking.MtlsCredentials.pemFiles(
            certificateChain: sandbox.cert("client.pem"), privateKey: sandbox.cert("client.key"))
        XCTAssertThrowsError(try OpenBankingClient(auth: .appToken("sandbox-app-token"), environment: mtlsEnvironment(),
                                                   mtls: credentials))
    }
    #endif
}
