import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import LeanSDK

/// The shared conformance scenarios (`tests/conformance/scenarios.json`) against
/// `lean-sandbox hostile`, through the public clients and the default `URLSessionTransport`:
/// each scenario's outcome and the server's counts must be what every host reports. XCTest
/// has no dynamic tests, so each scenario's failures are reported under its name.
final class ConformanceTests: XCTestCase {
    private var scenarios: [String: Any]? {
        let file = repoRoot.appendingPathComponent("tests/conformance/scenarios.json")
        guard let data = try? Data(contentsOf: file) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    func testEveryScenarioAgainstTheHostileServer() async throws {
        try await runAgainstTheHostileServer("scenarios")
    }

    /// The connection scenarios: each call made `call.repeat` times through one client, and the
    /// connections the server accepted for them counted.
    func testEveryConnectionScenarioAgainstTheHostileServer() async throws {
        try await runAgainstTheHostileServer("connectionScenarios")
    }

    /// Runs each scenario of the list `key` against one hostile server; a scenario's failures
    /// are reported under its name.
    private func runAgainstTheHostileServer(_ key: String) async throws {
        let all = try loadScenarios()
        let server = try HostileServer(scenarios: repoRoot.appendingPathComponent("tests/conformance/scenarios.json"))
        defer { server.stop() }
        let list = try XCTUnwrap(all[key] as? [[String: Any]])
        XCTAssertFalse(list.isEmpty)
        for scenario in list {
            let name = scenario["name"] as? String ?? "?"
            let problems = try await run(scenario, on: server)
            for problem in problems { XCTFail("\(name): \(problem)") }
        }
    }

    /// The scenarios file; the test is skipped in a checkout without it.
    private func loadScenarios() throws -> [String: Any] {
        guard let all = scenarios else {
            throw XCTSkip("no tests/conformance/scenarios.json in this checkout: nothing to run")
        }
        return all
    }

    func testEveryWebhookScenarioAgainstTheBodyReader() async throws {
        let all = try loadScenarios()
        for scenario in all["webhookScenarios"] as? [[String: Any]] ?? [] {
            let name = scenario["name"] as? String ?? "?"
            let limit = (scenario["limitBytes"] as? NSNumber)?.intValue ?? Webhooks.defaultBodyLimit
            let request = try XCTUnwrap(scenario["request"] as? [String: Any])
            let total = (request["bodyBytes"] as? NSNumber)?.intValue ?? 0
            let chunk = (request["chunkBytes"] as? NSNumber)?.intValue ?? 64 * 1024
            let declared = (request["contentLength"] as? NSNumber)?.intValue
            // The body as a server framework hands it over: chunks, made only when asked for.
            let chunks = Chunks(total: total, chunk: chunk)
            let verifier = try OpenBanking.Webhooks.Verifier(secrets: ["whsec_conformance"])
            var status = 0
            do {
                let body = try await Webhooks.readBody(from: chunks, declaredLength: declared, limit: limit)
                status = verifier.receive(payload: body, signature: nil) { _ in }
            } catch let error as LeanError where error.kind == .payloadTooLarge {
                status = error.status ?? 0
            }
            let expected = ((scenario["expect"] as? [String: Any])?["status"] as? NSNumber)?.intValue
            XCTAssertEqual(status, expected, name)
            XCTAssertLessThanOrEqual(chunks.produced.total, limit + chunk, "\(name): read on past the limit")
        }
    }

    private func run(_ scenario: [String: Any], on server: HostileServer) async throws -> [String] {
        let run = try server.post("/_hostile/runs", ["scenario": scenario["name"] as? String ?? ""])
        let runUrl = try XCTUnwrap(run["baseUrl"] as? String)
        let runId = try XCTUnwrap(run["id"] as? String)
        let call = try XCTUnwrap(scenario["call"] as? [String: Any])
        let settings = scenario["client"] as? [String: Any] ?? [:]
        let timeout = TimeInterval((settings["timeoutMs"] as? NSNumber)?.intValue ?? 1000) / 1000
        let maxRetries = UInt32((settings["maxRetries"] as? NSNumber)?.intValue ?? 2)
        let maxBackoff = UInt64((settings["maxBackoffMs"] as? NSNumber)?.intValue ?? 5)
        let transport = WithTimeout(inner: URLSessionTransport(), timeout: timeout)
        let sleep: @Sendable (UInt64) async throws -> Void = { try await Task.sleep(nanoseconds: min($0, maxBackoff) * 1_000_000) }
        var arguments = call.filter { !["api", "credentials", "repeat"].contains($0.key) }
        arguments["operation"] = call["operation"]
        let calls = (call["repeat"] as? NSNumber)?.intValue ?? 1
        // Each call's error, or nil for a success: `repeat` calls, one after another, through one
        // client (with OAuth, its token is fetched once).
        var failures: [LeanError?] = []
        func outcome(_ send: () async throws -> Void) async throws {
            do {
                try await send()
                failures.append(nil)
            } catch let error as LeanError {
                failures.append(error)
            }
        }
        if call["api"] as? String == "payouts" {
            let client = try LeanClient(apiKey: "sk_test_conformance", environment: .sandbox, baseUrl: "\(runUrl)/api",
                                        transport: transport, maxRetries: maxRetries, sleep: sleep)
            for _ in 0..<calls { try await outcome { _ = try await client.execute(arguments) } }
        } else {
            let auth: OpenBanking.Auth
            if call["credentials"] as? String == "oauth" {
                auth = try .clientCredentials(clientId: "conformance-client", clientSecret: "conformance-secret")
            } else {
                auth = try .appToken("conformance-app-token")
            }
            let client = try OpenBankingClient(
                auth: auth, environment: .custom(runUrl, tokenBaseUrl: runUrl), mtls: nil, transport: transport,
                maxRetries: maxRetries, initialBackoffMs: UInt64((settings["initialBackoffMs"] as? NSNumber)?.intValue ?? 1),
                sleep: sleep, clock: { Date() })
            for _ in 0..<calls { try await outcome { _ = try await client.execute(json: JSONText.write(arguments)) } }
        }
        let expect = try XCTUnwrap(scenario["expect"] as? [String: Any])
        let seen = try server.get("/_hostile/runs/\(runId)")
        var problems: [String] = []
        func check<T: Equatable>(_ what: String, _ expected: T?, _ actual: T?) {
            if expected != actual { problems.append("\(what): expected \(expected.map { "\($0)" } ?? "nil"), got \(actual.map { "\($0)" } ?? "nil")") }
        }
        for (n, failure) in failures.enumerated() {
            let which = failures.count == 1 ? "" : "call \(n + 1) of \(failures.count): "
            if expect["result"] as? String == "ok" {
                check("\(which)result", "ok", failure.map { "\($0)" } ?? "ok")
            } else {
                check("\(which)code", expect["code"] as? String, failure?.code)
                if let unknown = expect["outcomeUnknown"] as? Bool { check("\(which)outcomeUnknown", unknown, failure?.outcomeUnknown) }
                if let applied = expect["applied"] as? Bool { check("\(which)applied", applied, failure?.applied) }
                if let reported = expect["idempotencyKeyReported"] as? Bool {
                    check("\(which)idempotencyKeyReported", reported, failure?.idempotencyKey != nil)
                }
                if let ids = expect["sentIds"] as? [String: String] { check("\(which)sentIds", ids, failure?.sentIds) }
                if let location = expect["location"] as? String {
                    let expanded = location.replacingOccurrences(of: "{other}", with: "\(server.otherUrl)/\(runId)")
                        .replacingOccurrences(of: "{self}", with: runUrl)
                    check("\(which)location", expanded, failure?.location)
                }
            }
        }
        let requests = (seen["requests"] as? NSNumber)?.intValue
        if let wanted = (expect["requests"] as? NSNumber)?.intValue { check("requests", wanted, requests) }
        let connections = (seen["connections"] as? NSNumber)?.intValue
        if let wanted = (expect["connections"] as? NSNumber)?.intValue { check("connections", wanted, connections) }
        if call["repeat"] != nil {
            print("\(scenario["name"] as? String ?? "?"): \(requests ?? -1) requests on \(connections ?? -1) connection(s)")
        }
        check("otherOriginRequests", (expect["otherOriginRequests"] as? NSNumber)?.intValue ?? 0,
              (seen["otherOriginRequests"] as? NSNumber)?.intValue)
        check("otherOriginCredentialHeaders", 0, (seen["otherOriginCredentialHeaders"] as? [Any])?.count ?? 0)
        if let wanted = expect["seen"] as? [[String: Any]] {
            let got = (seen["seen"] as? [[String: Any]] ?? []).map { "\($0["method"] ?? "") \($0["path"] ?? "")" }
            check("seen", wanted.map { "\($0["method"] ?? "") \($0["path"] ?? "")" }, got)
        }
        return problems
    }
}

/// A request body of `total` bytes in chunks, counting what the reader asked for.
private struct Chunks: AsyncSequence {
    typealias Element = Data
    let total: Int
    let chunk: Int
    let produced = Counter()

    struct AsyncIterator: AsyncIteratorProtocol {
        let total: Int
        let chunk: Int
        let produced: Counter
        var sent = 0

        mutating func next() async -> Data? {
            guard sent < total else { return nil }
            let n = Swift.min(chunk, total - sent)
            sent += n
            produced.add(n)
            return Data(count: n)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(total: total, chunk: chunk, produced: produced) }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = 0
    var total: Int { lock.withLock { bytes } }
    func add(_ n: Int) { lock.withLock { bytes += n } }
}

/// The default transport with the scenario's per-attempt timeout.
private struct WithTimeout: Transport {
    let inner: Transport
    let timeout: TimeInterval
    func send(_ request: TransportRequest, timeout _: TimeInterval) async throws -> TransportResponse {
        try await inner.send(request, timeout: timeout)
    }
}

/// `lean-sandbox hostile` for one test, from `LEAN_SANDBOX`; its control API over plain
/// `URLSession` calls.
private final class HostileServer {
    let url: String
    let otherUrl: String
    private let process: Process

    init(scenarios: URL) throws {
        let line: () throws -> String
        (process, line) = try launchSandbox(["hostile", "--scenarios", scenarios.path, "--port", "0", "--quiet"])
        url = try line().replacingOccurrences(of: "listening on ", with: "")
        otherUrl = try line().replacingOccurrences(of: "other origin on ", with: "")
        XCTAssertTrue(url.hasPrefix("http://127.0.0.1:"), url)
    }

    func post(_ path: String, _ body: [String: Any]) throws -> [String: Any] {
        try exchange(path, body: JSONSerialization.data(withJSONObject: body))
    }

    func get(_ path: String) throws -> [String: Any] { try exchange(path, body: nil) }

    /// One blocking exchange with the control API (it answers at once).
    private func exchange(_ path: String, body: Data?) throws -> [String: Any] {
        var request = URLRequest(url: try XCTUnwrap(URL(string: url + path)))
        request.httpMethod = body == nil ? "GET" : "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var data: Data?; var error: Error? }
        let box = Box()
        URLSession(configuration: .ephemeral).dataTask(with: request) { data, _, error in
            box.data = data
            box.error = error
            done.signal()
        }.resume()
        done.wait()
        if let error = box.error { throw error }
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: box.data ?? Data()) as? [String: Any])
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
