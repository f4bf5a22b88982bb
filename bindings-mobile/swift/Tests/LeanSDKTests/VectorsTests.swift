import Foundation
import XCTest
@testable import LeanSDK

/// Every case of `tests/vectors/` through the public Swift API, as
/// `tests/vectors/README.md` describes. Failures name the case.
final class VectorsTests: XCTestCase {
    private func client(_ config: [String: Any], _ transport: Transport,
                        sleep: @escaping @Sendable (UInt64) async throws -> Void = { _ in },
                        logger: LeanLogger? = nil) throws -> LeanClient {
        let environment = try (config["environment"] as? String).map(Environment.parse) ?? .sandbox
        return try LeanClient(apiKey: config["apiKey"] as? String ?? "test_key_123", environment: environment,
                              baseUrl: config["baseUrl"] as? String, transport: transport,
                              maxRetries: (config["maxRetries"] as? NSNumber).map { $0.uint32Value }, sleep: sleep,
                              logger: logger)
    }

    /// Path-only calls use the typed methods; calls with input use `execute(json:)`, the
    /// host-neutral form (the same JSON a form or tool would hold).
    private func invoke(_ client: LeanClient, _ call: [String: Any]) async throws -> Any {
        let operation = call["operation"] as? String ?? ""
        let onlyText = call.allSatisfy { $0.key == "operation" || $0.value is String }
        if onlyText {
            func text(_ key: String) -> String { call[key] as? String ?? "" }
            switch operation {
            case "getCustomer": return try await client.getCustomer(text("partnerUserId"))
            case "submitApplication": return try await client.submitApplication(text("partnerUserId"))
            case "getGig": return try await client.getGig(text("gigId"))
            case "listGigs": return try await client.listGigs()
            case "getSpecialPayment": return try await client.getSpecialPayment(text("id"))
            case "listSpecialPayments": return try await client.listSpecialPayments()
            default: break
            }
        }
        return try await client.execute(json: canonical(call))
    }

    private func json(of value: Any) -> String {
        do {
            switch value {
            case let v as Customer: return canonical(json: try v.json)
            case let v as Gig: return canonical(json: try v.json)
            case let v as SpecialPayment: return canonical(json: try v.json)
            case let v as Application: return canonical(json: try v.json)
            case let v as [Gig]: return canonical(json: "[" + (try v.map { try $0.json }).joined(separator: ",") + "]")
            case let v as [SpecialPayment]:
                return canonical(json: "[" + (try v.map { try $0.json }).joined(separator: ",") + "]")
            default: return "<not a result: \(value)>"
            }
        } catch {
            return "<not writable: \(error)>"
        }
    }

    private func check(_ name: String, result: Result<Any, Error>, _ expect: [String: Any]) {
        switch result {
        case let .success(value):
            guard let want = expect["value"] else { return XCTFail("\(name): expected \(expect), got \(value)") }
            XCTAssertEqual(json(of: value), canonical(want), name)
        case let .failure(error):
            guard let want = expect["error"] as? [String: Any] else { return XCTFail("\(name): unexpected \(error)") }
            checkError(name, error, want)
        }
    }

    private func capture<T>(_ body: () async throws -> T) async -> Result<T, Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    private func operationCase(_ c: [String: Any]) async throws {
        let name = c["name"] as? String ?? "?"
        let expect = try XCTUnwrap(c["expect"] as? [String: Any])
        let recorder = Scripted(Array(repeating: .init(method: nil, path: nil, reply: nil), count: 10))
        let result = await capture {
            let client = try self.client(c["config"] as? [String: Any] ?? [:], recorder)
            return try await self.invoke(client, try XCTUnwrap(c["call"] as? [String: Any]))
        }
        guard let want = expect["request"] as? [String: Any] else {
            guard case let .failure(error) = result else { return XCTFail("\(name): expected an error") }
            checkError(name, error, try XCTUnwrap(expect["error"] as? [String: Any]))
            XCTAssertEqual(recorder.used, 0, "\(name): no request may be sent")
            return
        }
        // Every attempt is refused, so the engine may retry: the first request is the one built.
        let request = try XCTUnwrap(recorder.sent.first, "\(name): no request (\(result))")
        XCTAssertEqual(request.method, want["method"] as? String, name)
        XCTAssertEqual(request.url, want["url"] as? String, name)
        let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        for (header, value) in want["headers"] as? [String: String] ?? [:] {
            XCTAssertEqual(headers[header], value, "\(name): header \(header)")
        }
        XCTAssertTrue(headers["user-agent"]?.hasPrefix("lean-sdk/") ?? false, name)
        if want["body"] is NSNull || want["body"] == nil {
            XCTAssertNil(request.body, name)
        } else {
            XCTAssertEqual(canonical(json: request.body ?? ""), canonical(want["body"]!), name)
        }
        if want["generatedIdempotencyKey"] as? Bool == true {
            let key = try XCTUnwrap(headers["idempotency-key"], name)
            XCTAssertNotNil(key.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                                      options: .regularExpression), "\(name): \(key)")
        }
    }

    func testRequests() async throws {
        for c in try loadCases("requests.json") { try await operationCase(c) }
    }

    func testValidation() async throws {
        for c in try loadCases("validation.json") { try await operationCase(c) }
    }

    func testResponses() async throws {
        let requests = try loadCases("requests.json").compactMap { $0["call"] as? [String: Any] }
        for c in try loadCases("responses.json") {
            let name = c["name"] as? String ?? "?"
            let operation = c["operation"] as? String ?? ""
            let call = requests.first { $0["operation"] as? String == operation }
                ?? ["operation": operation, "partnerUserId": "uid_1", "gigId": "gig_1", "id": "sp_1"]
            let transport = Scripted([.init(method: nil, path: nil, reply: c["response"] as? [String: Any])])
            let result = await capture { try await self.invoke(try self.client(["maxRetries": 0], transport), call) }
            check(name, result: result, try XCTUnwrap(c["expect"] as? [String: Any]))
        }
    }

    func testEngine() async throws {
        for c in try loadCases("engine.json") {
            let name = c["name"] as? String ?? "?"
            let exchanges = (c["exchanges"] as? [[String: Any]] ?? []).map { e -> Scripted.Exchange in
                let request = e["request"] as? [String: Any]
                return .init(method: request?["method"] as? String, path: request?["path"] as? String,
                             reply: e["reply"] as? [String: Any])
            }
            let transport = Scripted(exchanges)
            let waits = Waits()
            let logged = CapturedEvents()
            let client = try self.client(c["config"] as? [String: Any] ?? [:], transport, sleep: { waits.add($0) },
                                         logger: logged.logger)
            let call = try XCTUnwrap(c["call"] as? [String: Any])
            let traced = await capture { try await withAttempts { try await self.invoke(client, call) } }
            XCTAssertEqual(transport.used, exchanges.count, "\(name): every exchange is used")
            if let want = c["waitsMs"] as? [NSNumber] { XCTAssertEqual(waits.all, want.map(\.uint64Value), name) }
            check(name, result: traced.map { $0.value }, try XCTUnwrap(c["expect"] as? [String: Any]))
            let attempts = switch traced {
            case let .success(result): result.attempts
            case let .failure(error): attemptsOf(error)
            }
            checkTrace(name, c, events: logged.events, attempts: attempts)
        }
    }

    func testConfigs() async throws {
        for c in try loadCases("config.json") {
            let name = c["name"] as? String ?? "?"
            let expect = try XCTUnwrap(c["expect"] as? [String: Any])
            do {
                _ = try client(c["config"] as? [String: Any] ?? [:], Scripted([]))
                XCTAssertEqual(expect["ok"] as? Bool, true, name)
            } catch {
                checkError(name, error, try XCTUnwrap(expect["error"] as? [String: Any], name))
            }
        }
    }

    func testWebhooks() throws {
        for c in try loadCases("webhooks.json") {
            let name = c["name"] as? String ?? "?"
            let secrets = c["secrets"] as? [String] ?? []
            let payload: Data
            switch c["payload"] {
            case let text as String: payload = Data(text.utf8)
            case let spec as [String: Any] where spec["base64"] != nil:
                payload = try XCTUnwrap(Data(base64Encoded: spec["base64"] as? String ?? ""), name)
            case let spec as [String: Any]:
                payload = Data(String(repeating: spec["repeat"] as? String ?? "",
                                      count: (spec["times"] as? NSNumber)?.intValue ?? 0).utf8)
            default: return XCTFail("\(name): bad payload")
            }
            let signature = c["signature"] as? String
            let expect = try XCTUnwrap(c["expect"] as? [String: Any])
            do {
                switch c["action"] as? String {
                case "sign":
                    XCTAssertEqual(try Webhooks.sign(secret: secrets[0], payload: payload), expect["signature"] as? String, name)
                case "verify":
                    try Webhooks.verify(payload: payload, signature: signature, secrets: secrets)
                    try Webhooks.Verifier(secrets: secrets).verify(payload: payload, signature: signature)
                    XCTAssertEqual(expect["valid"] as? Bool, true, name)
                case "constructEvent":
                    let event = try Webhooks.constructEvent(payload: payload, signature: signature, secrets: secrets)
                    let want = try XCTUnwrap(expect["event"], "\(name): unexpected event \(event.json)")
                    XCTAssertEqual(canonical(json: event.json), canonical(want), name)
                default: XCTFail("\(name): unknown action")
                }
            } catch {
                checkError(name, error, try XCTUnwrap(expect["error"] as? [String: Any], "\(name): \(error)"))
            }
        }
    }
}

/// The waits the engine asked for, recorded instead of slept.
final class Waits: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [UInt64] = []
    func add(_ ms: UInt64) { lock.withLock { waits.append(ms) } }
    var all: [UInt64] { lock.withLock { waits } }
}
