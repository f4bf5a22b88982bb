import Foundation
import XCTest
@testable import LeanSDK

/// Every case of `tests/vectors/openbanking/` through the public Swift API (`OpenBankingClient`,
/// `OpenBanking.Environment`, `.Auth`, `.OAuthToken`, `.Webhooks`), as
/// `tests/vectors/openbanking/README.md` describes. Failures name the case.
final class OpenBankingVectorsTests: XCTestCase {
    private func cases(_ file: String) throws -> [[String: Any]] { try loadCases("openbanking/\(file)") }

    private func environment(_ spec: Any?) throws -> OpenBanking.Environment {
        switch spec {
        case nil, is NSNull: return .uaeSandbox
        case let name as String: return try .parse(name)
        case let o as [String: Any]:
            var env = try (o["name"] as? String).map(OpenBanking.Environment.parse)
                ?? OpenBanking.Environment.custom(o["custom"] as? String ?? "")
            if let token = o["tokenBaseUrl"] as? String { env = try env.withTokenBaseUrl(token) }
            if let mtls = o["mtls"] as? Bool { env = env.withMtls(mtls) }
            return env
        default: throw LeanError.internal("bad environment \(String(describing: spec))")
        }
    }

    private func client(_ testCase: [String: Any], maxRetries: UInt32?, _ transport: Transport,
                        logger: LeanLogger? = nil,
                        sleep: @escaping @Sendable (UInt64) async throws -> Void = { _ in }) throws -> OpenBankingClient {
        let auth = try ((testCase["auth"] as? [String: Any])?["bearer"] as? String).map(OpenBanking.Auth.accessToken)
            ?? .appToken("app_token_123")
        return try OpenBankingClient(auth: auth, environment: environment(testCase["environment"]), mtls: nil,
                                     transport: transport, maxRetries: maxRetries, initialBackoffMs: 1, sleep: sleep,
                                     clock: { Date() }, logger: logger)
    }

    func testEnvironments() throws {
        for c in try cases("environments.json") {
            let name = c["name"] as? String ?? "", expect = c["expect"] as? [String: Any] ?? [:]
            do {
                let env = try environment(c["environment"])
                XCTAssertEqual(env.apiBaseUrl, expect["apiBaseUrl"] as? String, name)
                XCTAssertEqual(env.requiresMtls, expect["mtls"] as? Bool, name)
                XCTAssertEqual(env.tokenUrl, expect["tokenUrl"] as? String, name)
            } catch {
                checkError(name, error, expect["error"] as? [String: Any])
            }
        }
    }

    func testAuthentication() async throws {
        for c in try cases("auth.json") {
            let name = c["name"] as? String ?? "", expect = c["expect"] as? [String: Any] ?? [:]
            do {
                switch c["action"] as? String {
                case "tokenRequest":
                    let secret = c["clientSecret"] as? String ?? ""
                    let customer = (c["scope"] as? [String: Any])?["customer"] as? String
                    let auth = OpenBanking.Auth.clientCredentials(clientId: c["clientId"] as? String ?? "",
                                                                  clientSecret: secret, customerId: customer)
                    let request = try auth.tokenRequest(environment: environment(c["environment"]))
                    checkRequest(name, expect["request"] as? [String: Any] ?? [:], request)
                    var dumped = ""
                    dump(auth, to: &dumped)
                    for shown in ["\(auth)", "\(request)", dumped] {
                        XCTAssertFalse(shown.contains(secret), "\(name): \(shown)")
                    }
                case "parseToken":
                    let spec = c["response"] as? [String: Any] ?? [:]
                    let received = Date(timeIntervalSince1970: (c["receivedAt"] as? NSNumber)?.doubleValue ?? 0)
                    let token = try OpenBanking.OAuthToken.parse(response(spec), receivedAt: received,
                                                                 renewalMargin: (c["marginSeconds"] as? NSNumber)?.doubleValue)
                    XCTAssertEqual(token.expiresAt.timeIntervalSince1970, (expect["expiresAt"] as? NSNumber)?.doubleValue, name)
                    if expect.keys.contains("scope") { XCTAssertEqual(token.scope, expect["scope"] as? String, name) }
                    if let header = expect["authorization"] as? String {
                        let request = try await firstRequest(token.auth)
                        XCTAssertEqual(value(request, "authorization"), header, name)
                        XCTAssertNil(value(request, "lean-app-token"), name)
                        XCTAssertEqual(request.headers.filter { $0.name == "authorization" }.count, 1, name)
                    }
                    for check in c["checks"] as? [[String: Any]] ?? [] {
                        let at = Date(timeIntervalSince1970: (check["at"] as? NSNumber)?.doubleValue ?? 0)
                        XCTAssertEqual(token.needsRenewal(at: at), check["needsRenewal"] as? Bool, "\(name) at \(at)")
                    }
                case "appToken", "bearer":
                    let token = c["token"] as? String ?? ""
                    let auth = try c["action"] as? String == "appToken" ? OpenBanking.Auth.appToken(token) : .accessToken(token)
                    XCTAssertFalse("\(auth)".contains(token), name)
                    let request = try await firstRequest(auth)
                    for (header, want) in expect["headers"] as? [String: String] ?? [:] {
                        XCTAssertEqual(value(request, header), want, "\(name): \(header)")
                    }
                default: XCTFail("\(name): unknown action")
                }
                XCTAssertNil(expect["error"], "\(name): expected an error")
            } catch {
                checkError(name, error, expect["error"] as? [String: Any])
            }
        }
    }

    func testRequestsAndValidation() async throws {
        for c in try cases("requests.json") + cases("validation.json") {
            let name = c["name"] as? String ?? "", expect = c["expect"] as? [String: Any] ?? [:]
            let recorder = Scripted(Array(repeating: Scripted.Exchange(method: nil, path: nil, reply: nil), count: 3))
            do {
                let client = try client(c, maxRetries: 0, recorder)
                _ = try await client.execute(json: canonical(c["call"] ?? [:]))
                XCTFail("\(name): the recorder refuses every request")
            } catch {
                if let want = expect["request"] as? [String: Any] {
                    guard let request = recorder.sent.first else { XCTFail("\(name): no request (\(error))"); continue }
                    checkRequest(name, want, request)
                } else {
                    checkError(name, error, expect["error"] as? [String: Any])
                    XCTAssertTrue(recorder.sent.isEmpty, "\(name): no request may be sent")
                }
            }
        }
    }

    func testResponses() async throws {
        for c in try cases("responses.json") {
            let name = c["name"] as? String ?? "", expect = c["expect"] as? [String: Any] ?? [:]
            let transport = Scripted([Scripted.Exchange(method: nil, path: nil, reply: c["response"] as? [String: Any])])
            let call = sample(c["operation"] as? String ?? "")
            await checkResult(name, expect) { try await self.client([:], maxRetries: 0, transport).execute(json: canonical(call)) }
        }
    }

    func testEngine() async throws {
        for c in try cases("engine.json") {
            let name = c["name"] as? String ?? "", expect = c["expect"] as? [String: Any] ?? [:]
            let exchanges = (c["exchanges"] as? [[String: Any]] ?? []).map {
                let request = $0["request"] as? [String: Any]
                return Scripted.Exchange(method: request?["method"] as? String, path: request?["path"] as? String,
                                         reply: $0["reply"] as? [String: Any])
            }
            let transport = Scripted(exchanges)
            let waits = Waits()
            let retries = ((c["config"] as? [String: Any])?["maxRetries"] as? NSNumber)?.uint32Value
            let logged = CapturedEvents()
            let client = try client(c, maxRetries: retries, transport, logger: logged.logger) { await waits.add($0) }
            let call = canonical(c["call"] ?? [:])
            var attempts: [Attempt] = []
            await checkResult(name, expect) {
                do {
                    let traced = try await withAttempts { try await client.execute(json: call) }
                    attempts = traced.attempts
                    return traced.value
                } catch {
                    attempts = attemptsOf(error)
                    throw error
                }
            }
            checkTrace(name, c, events: logged.events, attempts: attempts)
            XCTAssertEqual(transport.used, exchanges.count, "\(name): every exchange used")
            if let want = c["waitsMs"] as? [NSNumber] {
                let got = await waits.all
                XCTAssertEqual(got, want.map(\.uint64Value), name)
            }
        }
    }

    /// The token policy the client follows, driven step by step as the core's runner does:
    /// named callers (one ticket each) share one policy; fetches are numbered from 1.
    func testTokenPolicy() async throws {
        for c in try cases("tokens.json") {
            let name = c["name"] as? String ?? ""
            let env = try environment(c["environment"])
            let policy = try NativeTokenPolicy(clientId: c["clientId"] as? String ?? "",
                                               clientSecret: c["clientSecret"] as? String ?? "", environment: env.handle,
                                               customerId: nil,
                                               renewalMarginMs: (c["marginSeconds"] as? NSNumber).map { $0.uint64Value * 1000 })
            policy.recordEvents(on: true)
            var tickets: [String: NativeTokenTicket] = [:]
            var fetches = 0
            for (i, step) in (c["steps"] as? [[String: Any]] ?? []).enumerated() {
                let caller = step["caller"] as? String ?? ""
                let ticket = tickets[caller] ?? NativeTokenTicket()
                tickets[caller] = ticket
                let expect = step["expect"]
                let want = expect as? [String: Any]
                let at = ((step["at"] as? NSNumber)?.uint64Value ?? 0) * 1000
                let context = "\(name): step \(i + 1) (\(caller) \(step["action"] ?? ""))"
                do {
                    switch step["action"] as? String {
                    case "poll":
                        switch try native({ try policy.poll(ticket: ticket, nowMs: at) }) {
                        case let .use(auth):
                            let sent = try await firstRequest(OpenBanking.Auth(kind: .fixed(auth, "accessToken")))
                            XCTAssertEqual(value(sent, "authorization"), "Bearer \(want?["use"] as? String ?? "")", context)
                        case let .fetch(request):
                            fetches += 1
                            XCTAssertEqual((want?["fetch"] as? NSNumber)?.intValue, fetches, context)
                            XCTAssertEqual(request.url, env.tokenUrl, context)
                        case .wait:
                            XCTAssertEqual((want?["wait"] as? NSNumber)?.intValue, fetches, context)
                        }
                    case "tokenResponse":
                        let answer = try response(step["response"] as? [String: Any] ?? [:])
                        try native { try policy.onTokenResponse(ticket: ticket, response: answer.toNative, nowMs: at) }
                    case "tokenTransportError":
                        let kind: TransportErrorKind = switch step["kind"] as? String {
                        case "connect": .connect
                        case "timeout": .timeout
                        default: .other
                        }
                        throw LeanError(policy.onTokenTransportError(ticket: ticket, kind: kind,
                                                                     message: step["message"] as? String ?? ""))
                    case "unauthorized":
                        XCTAssertEqual(policy.onUnauthorized(ticket: ticket) ? "renewAndRetry" : "fail",
                                       expect as? String, context)
                    default:
                        XCTFail("\(context): unknown action")
                    }
                    if let error = want?["error"] { XCTFail("\(context): expected the error \(error)") }
                } catch {
                    checkError(context, error, want?["error"] as? [String: Any])
                }
                let events = policy.takeEvents().map(LeanEvent.init)
                checkEvents(context, events, step["events"] as? [[String: Any]] ?? [])
                for event in events {
                    XCTAssertFalse(event.json.contains(c["clientSecret"] as? String ?? "?"), "\(context): \(event.json)")
                }
            }
        }
    }

    private static let typedPayloads: Set<String> = [
        "entity.created", "payment.created", "payment.updated", "payment_intent.created", "payment_source.created",
        "payment_source.beneficiary.created", "entity.data.refresh.updated", "bank.availability.updated",
    ]

    func testWebhooks() throws {
        for c in try cases("webhooks.json") {
            let name = c["name"] as? String ?? "", expect = c["expect"] as? [String: Any] ?? [:]
            let secrets = c["secrets"] as? [String] ?? []
            let body = payload(c["payload"])
            let signature = c["signature"] as? String
            do {
                switch c["action"] as? String {
                case "sign":
                    XCTAssertEqual(try OpenBanking.Webhooks.sign(secret: secrets[0], payload: body), expect["signature"] as? String, name)
                case "verify":
                    try OpenBanking.Webhooks.Verifier(secrets: secrets).verify(payload: body, signature: signature)
                    XCTAssertEqual(expect["valid"] as? Bool, true, name)
                case "constructEvent":
                    let event = try OpenBanking.Webhooks.Verifier(secrets: secrets).constructEvent(payload: body, signature: signature)
                    let want = expect["event"] as? [String: Any] ?? [:]
                    XCTAssertEqual(canonical(json: event.json), canonical(want), name)
                    XCTAssertEqual(event.type, want["type"] as? String, name)
                    XCTAssertEqual(event.eventId, want["event_id"] as? String, name)
                    // The typed payload, when the type has one, is the event's payload, amounts exact.
                    let typed = try [event.entity?.json, event.payment?.json, event.paymentIntent?.json,
                                 event.paymentSource?.json, event.dataRefresh?.json, event.bankAvailability?.json]
                        .compactMap { $0 }
                    let payload = want["payload"] as? [String: Any]
                    if Self.typedPayloads.contains(event.type) {
                        XCTAssertEqual(typed.count, 1, name)
                        XCTAssertEqual(typed.first.map { canonical(json: $0) }, payload.map { canonical($0) }, name)
                    } else {
                        XCTAssertEqual(typed, [], name)
                    }
                    if let amount = event.payment?.amount ?? event.paymentIntent?.amount {
                        XCTAssertEqual(amount, Decimal(string: payload?["amount"] as? String ?? ""), name)
                    }
                default: XCTFail("\(name): unknown action")
                }
            } catch {
                checkError(name, error, expect["error"] as? [String: Any])
            }
        }
    }

    // MARK: - helpers

    private actor Waits {
        var all: [UInt64] = []
        func add(_ ms: UInt64) { all.append(ms) }
    }

    private func sample(_ operation: String) -> [String: Any] {
        let input: [String: Any]
        switch operation {
        case "getBalance", "getTransactions": input = ["entity_id": "e1", "account_id": "a1"]
        case "createCustomer": input = ["app_user_id": "u1"]
        case "createPaymentIntent": input = ["customer_id": "c1", "amount": "1", "currency": "AED"]
        case "createPaymentDestination":
            input = ["display_name": "A", "name": "A", "bank_identifier": "B", "iban": "AE070331234567890123456"]
        default: input = ["entity_id": "e1"]
        }
        return ["operation": operation, "input": input, "customerId": "c1", "appUserId": "u1", "entityId": "e1",
                "resultsId": "r1", "paymentIntentId": "p1", "paymentId": "p1", "accountId": "a1", "refreshId": "r1",
                "startDate": "2026-01-01", "endDate": "2026-01-31"]
    }

    private func firstRequest(_ auth: OpenBanking.Auth) async throws -> TransportRequest {
        let recorder = Scripted([Scripted.Exchange(method: nil, path: nil, reply: nil)])
        let client = try OpenBankingClient(auth: auth, transport: recorder, maxRetries: 0)
        _ = try? await client.listPaymentDestinations()
        return try XCTUnwrap(recorder.sent.first)
    }

    private func value(_ request: TransportRequest, _ name: String) -> String? {
        request.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    private func response(_ spec: [String: Any]) throws -> TransportResponse {
        let headers = (spec["headers"] as? [String: String] ?? [:]).map { (name: $0.key, value: $0.value) }
        let body: Data
        if let text = spec["bodyText"] as? String {
            body = Data(text.utf8)
        } else if let json = spec["body"], !(json is NSNull) {
            body = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
        } else {
            body = Data()
        }
        return TransportResponse(status: (spec["status"] as? NSNumber)?.intValue ?? 0, headers: headers, body: body)
    }

    private func payload(_ spec: Any?) -> Data {
        switch spec {
        case let text as String: return Data(text.utf8)
        case let o as [String: Any]:
            if let b64 = o["base64"] as? String { return Data(base64Encoded: b64) ?? Data() }
            return Data(String(repeating: o["repeat"] as? String ?? "", count: (o["times"] as? NSNumber)?.intValue ?? 0).utf8)
        default: return Data()
        }
    }

    private func checkRequest(_ name: String, _ want: [String: Any], _ request: TransportRequest) {
        XCTAssertEqual(request.method, want["method"] as? String, name)
        XCTAssertEqual(request.url, want["url"] as? String, name)
        for (header, value) in want["headers"] as? [String: String] ?? [:] {
            XCTAssertEqual(self.value(request, header), value, "\(name): \(header)")
        }
        XCTAssertTrue(value(request, "user-agent")?.hasPrefix("lean-sdk/") ?? false, name)
        switch want["body"] {
        case nil, is NSNull: XCTAssertNil(request.body, name)
        case let form as String: XCTAssertEqual(request.body, form, name)
        case let body?: XCTAssertEqual(canonical(json: request.body ?? ""), canonical(body), name)
        }
        if let part = want["bodyContains"] as? String {
            XCTAssertTrue(request.body?.contains(part) ?? false, "\(name): \(request.body ?? "") lacks \(part)")
        }
    }

    /// The typed fields agree with the JSON form.
    private func checkTyped(_ name: String, _ value: Any) {
        func object(_ json: String) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
        }
        switch value {
        case let page as OpenBanking.DataPage:
            let raw = object((try? page.json) ?? "")
            XCTAssertEqual(page.status, raw["status"] as? String, name)
            XCTAssertEqual(canonical(json: page.dataJson), canonical(raw["data"] ?? NSNull()), name)
            let records = raw["data"] as? [Any] ?? []
            XCTAssertEqual(((try? page.recordsJson) ?? []).map { canonical(json: $0) }, records.map { canonical($0) }, name)
        case let refresh as OpenBanking.DataRefresh:
            let raw = object((try? refresh.json) ?? "")
            XCTAssertEqual(refresh.refreshId, raw["refresh_id"] as? String, name)
            XCTAssertEqual(refresh.entityId, raw["entity_id"] as? String, name)
        case let refreshes as [OpenBanking.DataRefresh]:
            for r in refreshes { XCTAssertEqual(r.refreshId, object((try? r.json) ?? "")["refresh_id"] as? String, name) }
        case let intents as [OpenBanking.PaymentIntent]:
            for i in intents { XCTAssertEqual(i.paymentIntentId, object((try? i.json) ?? "")["payment_intent_id"] as? String, name) }
        case let destination as OpenBanking.Destination:
            let raw = object((try? destination.json) ?? "")
            XCTAssertEqual(destination.bankType, raw["bank_type"] as? String, name)
            let identifier = raw["government_identifier"] as? [String: Any]
            XCTAssertEqual(destination.governmentIdentifier?.kind, identifier?["type"] as? String, name)
            XCTAssertEqual(destination.governmentIdentifier?.value, identifier?["value"] as? String, name)
        default: break
        }
    }

    private func checkResult(_ name: String, _ expect: [String: Any],
                             _ run: () async throws -> (value: Any, json: String)) async {
        do {
            let result = try await run()
            guard let want = expect["value"] else { return XCTFail("\(name): expected \(expect), got \(result.json)") }
            XCTAssertEqual(canonical(json: result.json), canonical(want), name)
            if let intent = result.value as? OpenBanking.PaymentIntent, let amount = (want as? [String: Any])?["amount"] as? String {
                XCTAssertEqual(intent.amount, Decimal(string: amount, locale: Locale(identifier: "en_US_POSIX")), name)
            }
            checkTyped(name, result.value)
        } catch {
            checkError(name, error, expect["error"] as? [String: Any])
        }
    }
}
