import Foundation
import XCTest
@testable import LeanSDK

/// The client's behaviour around the core: OAuth tokens fetched once for concurrent callers,
/// renewed by the client's clock, renewed and retried once after a 401; secrets never shown;
/// production without a certificate refused; mTLS refused clearly where URLSession cannot.
final class OpenBankingClientTests: XCTestCase {
    private let secret = "client-secret-do-not-show"

    /// A token host and API: tokens `tok-1`, `tok-2`...; `refused` tokens are answered 401.
    private final class FakeLean: Transport, @unchecked Sendable {
        let refused: Set<String>
        private let lock = NSLock()
        private(set) var tokenRequests = 0
        private(set) var apiCalls: [String] = []

        init(refused: Set<String> = []) { self.refused = refused }

        func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
            if request.url.hasSuffix("/oauth2/token") {
                try await Task.sleep(nanoseconds: 50_000_000)
                let n = lock.withLock { tokenRequests += 1; return tokenRequests }
                let body = #"{"access_token":"tok-\#(n)","token_type":"Bearer","expires_in":3600}"#
                return TransportResponse(status: 200, headers: [], body: Data(body.utf8))
            }
            let token = (request.headers.first { $0.name == "authorization" }?.value ?? "").replacingOccurrences(of: "Bearer ", with: "")
            lock.withLock { apiCalls.append(token) }
            if refused.contains(token) {
                return TransportResponse(status: 401, headers: [], body: Data(#"{"status":"UNAUTHORIZED","message":"expired"}"#.utf8))
            }
            return TransportResponse(status: 200, headers: [], body: Data("[]".utf8))
        }
    }

    private final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_700_000_000)
    }

    private func client(_ transport: Transport, clock: Clock = Clock()) throws -> OpenBankingClient {
        let env = try OpenBanking.Environment.custom("http://127.0.0.1:9", tokenBaseUrl: "http://127.0.0.1:9")
        return try OpenBankingClient(auth: .clientCredentials(clientId: "app-id", clientSecret: secret), environment: env,
                                     mtls: nil, transport: transport, maxRetries: 0, initialBackoffMs: 1,
                                     sleep: { _ in }, clock: { clock.now })
    }

    func testConcurrentCallersShareOneTokenFetch() async throws {
        let lean = FakeLean()
        let client = try client(lean)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try await client.listPaymentDestinations() } }
            try await group.waitForAll()
        }
        XCTAssertEqual(lean.tokenRequests, 1)
        XCTAssertEqual(lean.apiCalls, Array(repeating: "tok-1", count: 20))
    }

    func testTokensAreRenewedBeforeExpiryByTheClientsClock() async throws {
        let lean = FakeLean(), clock = Clock()
        let client = try client(lean, clock: clock)
        _ = try await client.listPaymentDestinations()
        clock.now += 3_500 // 100 s before expiry: outside the 60 s margin
        _ = try await client.listPaymentDestinations()
        XCTAssertEqual(lean.tokenRequests, 1)
        clock.now += 50 // 50 s before expiry: renewed
        _ = try await client.listPaymentDestinations()
        XCTAssertEqual(lean.apiCalls, ["tok-1", "tok-1", "tok-2"])
    }

    func testA401RenewsTheTokenAndRetriesOnce() async throws {
        let lean = FakeLean(refused: ["tok-1"])
        _ = try await client(lean).listPaymentDestinations()
        XCTAssertEqual(lean.apiCalls, ["tok-1", "tok-2"])

        let always = FakeLean(refused: ["tok-1", "tok-2", "tok-3"])
        do {
            _ = try await client(always).listPaymentDestinations()
            XCTFail("expected unauthorized")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "unauthorized")
            XCTAssertEqual(error.apiCode, "UNAUTHORIZED")
        }
        XCTAssertEqual(always.apiCalls, ["tok-1", "tok-2"], "retried once, not more")
    }

    func testSecretsNeverShow() async throws {
        let auth = OpenBanking.Auth.clientCredentials(clientId: "app-id", clientSecret: secret)
        let appToken = try OpenBanking.Auth.appToken("app-token-secret")
        let client = try client(FakeLean())
        let request = try auth.tokenRequest(environment: .custom("http://127.0.0.1:9", tokenBaseUrl: "http://127.0.0.1:9"))
        XCTAssertTrue(request.body?.contains(secret) ?? false, "the body carries it to the token host")
        var dumped = ""
        dump(auth, to: &dumped)
        dump(appToken, to: &dumped)
        for shown in ["\(auth)", String(reflecting: auth), "\(appToken)", "\(client)", "\(request)", dumped] {
            XCTAssertFalse(shown.contains(secret) || shown.contains("app-token-secret"), shown)
        }
        let refusing = Scripted([Scripted.Exchange(method: "POST", path: "/oauth2/token",
                                                   reply: ["status": 401, "body": ["status": "UNAUTHORIZED", "message": "bad client"]])])
        do {
            _ = try await self.client(refusing).listPaymentDestinations()
            XCTFail("expected unauthorized")
        } catch let error as LeanError {
            XCTAssertEqual(error.code, "unauthorized")
            XCTAssertFalse("\(error) \(error.body ?? "")".contains(secret))
        }
    }

    func testProductionWithoutACertificateFailsAtConstruction() throws {
        for env in [OpenBanking.Environment.uaeProduction, .ksaProduction, .uaeSandboxMtls] {
            XCTAssertThrowsError(try OpenBankingClient(auth: .appToken("t"), environment: env)) { error in
                XCTAssertEqual((error as? LeanError)?.code, "configuration")
                XCTAssertTrue((error as? LeanError)?.message.contains("mtls:") ?? false, "\(error)")
            }
        }
        XCTAssertNoThrow(try OpenBankingClient(auth: .appToken("t"), environment: .ksaSandbox))
        XCTAssertNoThrow(try OpenBankingClient(auth: .appToken("t"), environment: .uaeProduction, transport: FakeLean()))
        let pem = try OpenBanking.MtlsCredentials.pem(certificateChain: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                                                      privateKey: "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----")
        XCTAssertThrowsError(try OpenBankingClient(auth: .appToken("t"), environment: .uaeProduction, mtls: pem, transport: FakeLean())) {
            XCTAssertTrue((($0 as? LeanError)?.message ?? "").contains("not both"), "\($0)")
        }
        XCTAssertThrowsError(try OpenBankingClient(auth: .clientCredentials(clientId: "a", clientSecret: "b"))) { error in
            XCTAssertEqual((error as? LeanError)?.code, "configuration", "no token host for the UAE sandbox")
        }
    }

    func testPemCredentialsAreCheckedAndNeverShown() throws {
        XCTAssertThrowsError(try OpenBanking.MtlsCredentials.pem(certificateChain: "nope", privateKey: "nope")) {
            XCTAssertEqual(($0 as? LeanError)?.code, "configuration")
        }
        let key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----"
        XCTAssertThrowsError(try OpenBanking.MtlsCredentials.pem(
            certificateChain: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", privateKey: key)) {
            XCTAssertTrue((($0 as? LeanError)?.message ?? "").contains("PKCS#8"))
            XCTAssertFalse("\($0)".contains("MHcCAQEEIB"), "the key is never quoted")
        }
    }

    func testPemFilesAreReadAndCheckedNamingTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lean-pem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("cert.pem")
        let key = dir.appendingPathComponent("key.pem")
        try "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".write(to: cert, atomically: true, encoding: .utf8)
        try "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n".write(to: key, atomically: true, encoding: .utf8)
        let missing = dir.appendingPathComponent("missing.pem")
        XCTAssertThrowsError(try OpenBanking.MtlsCredentials.pemFiles(certificateChain: missing, privateKey: key)) {
            XCTAssertEqual(($0 as? LeanError)?.code, "configuration")
            XCTAssertTrue((($0 as? LeanError)?.message ?? "").contains("certificateChain: cannot read the file \(missing.path)"), "\($0)")
        }
        XCTAssertThrowsError(try OpenBanking.MtlsCredentials.pemFiles(certificateChain: cert, privateKey: key)) {
            let message = ($0 as? LeanError)?.message ?? ""
            XCTAssertTrue(message.contains("privateKey (\(key.path))") && message.contains("PKCS#8"), message)
            XCTAssertFalse(message.contains("MHcCAQEEIB"), "the key is never quoted")
        }
        XCTAssertThrowsError(try OpenBanking.MtlsCredentials.pemFiles(
            certificateChain: URL(string: "https://example.com/cert.pem")!, privateKey: key)) {
            XCTAssertTrue((($0 as? LeanError)?.message ?? "").contains("expected a file URL"), "\($0)")
        }
        try "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n".write(to: key, atomically: true, encoding: .utf8)
        let credentials = try OpenBanking.MtlsCredentials.pemFiles(certificateChain: cert, privateKey: key, caChain: cert)
        XCTAssertFalse("\(credentials)".contains("MIGH"))
    }

    func testWebhookReceiversAnswer200OnlyToVerifiedBodies() throws {
        let body = Data(#"{"type":"results.ready","payload":{"id":"r-1"},"event_id":"e-1"}"#.utf8)
        let verifier = try OpenBanking.Webhooks.Verifier(secrets: ["old-secret", "new-secret"])
        var received: [OpenBanking.Event] = []
        XCTAssertEqual(verifier.receive(payload: body, signature: try .sign(secret: "new-secret", payload: body)) { received.append($0) }, 200)
        XCTAssertEqual(verifier.receive(payload: body, signature: try .sign(secret: "old-secret", payload: body)) { received.append($0) }, 200)
        XCTAssertEqual(verifier.receive(payload: body, signature: try .sign(secret: "other", payload: body)) { received.append($0) }, 401)
        XCTAssertEqual(received.map(\.resultsId), ["r-1", "r-1"])
        XCTAssertEqual(received.map(\.eventId), ["e-1", "e-1"], "the same event_id: de-duplicate on it")
        XCTAssertEqual(OpenBanking.Webhooks.retryMinutes, [1, 2, 5, 10, 60, 180])
        XCTAssertFalse("\(verifier)".contains("new-secret"))
    }
}

private extension String {
    static func sign(secret: String, payload: Data) throws -> String {
        try OpenBanking.Webhooks.sign(secret: secret, payload: payload)
    }
}
