import Foundation
import XCTest
@testable import LeanSDK

/// The repository root, from this file's own path (Tests/LeanSDKTests/Support.swift).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func loadCases(_ file: String) throws -> [[String: Any]] {
    let data = try Data(contentsOf: repoRoot.appendingPathComponent("tests/vectors/\(file)"))
    let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let cases = try XCTUnwrap(doc["cases"] as? [[String: Any]])
    XCTAssertFalse(cases.isEmpty, "\(file) has no cases")
    return cases
}

/// JSON text with sorted keys, to compare two JSON values exactly.
func canonical(_ value: Any) -> String {
    let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "<not JSON>"
}

func canonical(json: String) -> String {
    guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else {
        return "<not JSON: \(json)>"
    }
    return canonical(value)
}

/// A transport that answers from a script, checking each request's method and path; a
/// `nil` reply records the request and refuses the connection.
final class Scripted: Transport, @unchecked Sendable {
    struct Exchange {
        let method: String?
        let path: String?
        let reply: [String: Any]?
    }

    private let lock = NSLock()
    private let exchanges: [Exchange]
    private(set) var sent: [TransportRequest] = []
    var used: Int { lock.withLock { sent.count } }

    init(_ exchanges: [Exchange]) { self.exchanges = exchanges }

    func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
        let index: Int = lock.withLock {
            sent.append(request)
            return sent.count - 1
        }
        guard index < exchanges.count else {
            XCTFail("unexpected request \(request)")
            throw TransportFailure(.connect, "unexpected")
        }
        let exchange = exchanges[index]
        if let method = exchange.method { XCTAssertEqual(method, request.method) }
        if let path = exchange.path { XCTAssertTrue(request.url.hasSuffix(path), "\(request.url) does not end with \(path)") }
        guard let reply = exchange.reply else { throw TransportFailure(.connect, "recorded") }
        if reply["interrupt"] != nil { throw CancellationError() }
        switch reply["transportError"] as? String {
        case "connect": throw TransportFailure(.connect, "refused")
        case "timeout": throw TransportFailure(.timeout, "timed out")
        case .some: throw TransportFailure(.other, "reset")
        case nil: break
        }
        let headers = (reply["headers"] as? [String: String] ?? [:]).map { (name: $0.key, value: $0.value) }
        let body: Data
        if let text = reply["bodyText"] as? String {
            body = Data(text.utf8)
        } else if let json = reply["body"] {
            body = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
        } else {
            body = Data()
        }
        return TransportResponse(status: (reply["status"] as? NSNumber)?.intValue ?? 0, headers: headers, body: body)
    }
}

/// A `lean-sandbox` for one test, on free loopback ports, from `LEAN_SANDBOX`
/// (scripts/test.d/60-swift.sh builds it): `url` is its plain listener; with `tls`, `mtlsUrl`
/// is its mutual-TLS listener and `certs` the directory of its test certificates.
final class SandboxProcess {
    let url: String
    let mtlsUrl: String
    let certs: URL?
    private let process: Process

    init(_ arguments: [String], tls: Bool = false) throws {
        let certs = tls ? FileManager.default.temporaryDirectory.appendingPathComponent("lean-certs-\(UUID().uuidString)") : nil
        let line: () throws -> String
        (process, line) = try launchSandbox(["serve", "--port", "0", "--quiet"] + arguments +
            (certs.map { ["--tls-port", "0", "--tls-dir", $0.path] } ?? []))
        url = try line().replacingOccurrences(of: "listening on ", with: "")
        mtlsUrl = tls ? try line().replacingOccurrences(of: "listening (mTLS) on ", with: "") : ""
        self.certs = certs
        XCTAssertTrue(url.hasPrefix("http://127.0.0.1:"), url)
        if tls { XCTAssertTrue(mtlsUrl.hasPrefix("https://127.0.0.1:"), mtlsUrl) }
    }

    /// A file of the sandbox's test certificates (`ca.pem`, `client.pem`, `client.key`, ...).
    func cert(_ name: String) throws -> URL { try XCTUnwrap(certs).appendingPathComponent(name) }

    /// Ends the sandbox with SIGKILL, not SIGTERM: a process started from a task (a thread of
    /// Swift's cooperative pool) inherits that thread's blocked signals, SIGTERM among them, so
    /// `terminate()` would leave it running and `waitUntilExit()` waiting for ever.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        if let certs { try? FileManager.default.removeItem(at: certs) }
    }
}

/// Checks the keys of an error that say what a call sent and where a redirect pointed.
func checkReport(_ name: String, _ e: LeanError, _ want: [String: Any]) {
    if want.keys.contains("location") { XCTAssertEqual(e.location, want["location"] as? String, name) }
    if let applied = want["applied"] as? Bool { XCTAssertEqual(e.applied, applied, name) }
    if want.keys.contains("idempotencyKey") { XCTAssertEqual(e.idempotencyKey, want["idempotencyKey"] as? String, name) }
    if let ids = want["sentIds"] as? [String: String] { XCTAssertEqual(e.sentIds, ids, name) }
}

/// Checks a thrown error against a vector's `error` object (`tests/vectors/README.md`): its
/// code and each detail the vector names; `want` is nil when no error was expected. Both APIs'
/// vector suites use it.
func checkError(_ name: String, _ error: Error, _ want: [String: Any]?) {
    guard let want else { return XCTFail("\(name): unexpected \(error)") }
    // An interrupted call throws LeanCancellationError, carrying the error that reports it.
    guard let e = (error as? LeanCancellationError)?.report ?? error as? LeanError else {
        return XCTFail("\(name): not a LeanError: \(error)")
    }
    checkReport(name, e, want)
    XCTAssertEqual(e.code, want["code"] as? String, "\(name): \(e.message)")
    XCTAssertFalse(e.message.isEmpty, name)
    if let status = want["status"] as? NSNumber { XCTAssertEqual(e.status, status.intValue, name) }
    if want.keys.contains("message") { XCTAssertEqual(e.apiMessage, want["message"] as? String, name) }
    if want.keys.contains("apiCode") { XCTAssertEqual(e.apiCode, want["apiCode"] as? String, name) }
    if want.keys.contains("granularStatusCode") {
        XCTAssertEqual(e.granularStatusCode, want["granularStatusCode"] as? String, name)
    }
    if want.keys.contains("requestId") { XCTAssertEqual(e.requestId, want["requestId"] as? String, name) }
    if want.keys.contains("retryAfterMs") {
        XCTAssertEqual(e.retryAfterMs, (want["retryAfterMs"] as? NSNumber)?.uint64Value, name)
    }
    if let unknown = want["outcomeUnknown"] as? Bool { XCTAssertEqual(e.outcomeUnknown, unknown, name) }
    if let fields = want["fieldErrors"] as? [[String: Any]] {
        let expected = Set(fields.map { "\($0["field"] ?? "")/\($0["code"] ?? "")" })
        XCTAssertEqual(Set(e.fieldErrors.map { "\($0.field)/\($0.code)" }), expected, name)
        XCTAssertTrue(e.fieldErrors.allSatisfy { !$0.message.isEmpty }, name)
    }
}

/// Collects the events a client logs, in order.
final class CapturedEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [LeanEvent] = []
    var events: [LeanEvent] { lock.withLock { list } }
    var logger: LeanLogger { LeanLogger { event in self.lock.withLock { self.list.append(event) } } }
}

/// An `Attempt` in the core's JSON shape (`attempt`, `phase`, `status`?...), without `elapsedMs`.
func attemptJSON(_ a: Attempt) -> [String: Any] {
    var out: [String: Any] = ["attempt": a.number, "phase": a.phase == .operation ? "operation" : "lookup"]
    if let status = a.status { out["status"] = status }
    if let id = a.requestId { out["requestId"] = id }
    if let kind = a.transportError {
        let name: String = switch kind {
        case .connect: "connect"
        case .timeout: "timeout"
        case .other: "other"
        }
        out["transportError"] = name
    }
    return out
}

/// The attempts a failed call reported: on its error, or on the report of its cancellation.
func attemptsOf(_ error: Error) -> [Attempt] {
    ((error as? LeanCancellationError)?.report ?? error as? LeanError)?.attempts ?? []
}

/// Checks what a call reported against a vector's `attempts` and `events`
/// (`tests/vectors/README.md`, "engine.json"), as the core's runner does: the attempts exactly
/// (each that ended timed by the host), the events in order with each key the vector gives
/// (`path` as the end of the URL path), and `call_finished` listing the same attempts.
func checkTrace(_ name: String, _ testCase: [String: Any], events: [LeanEvent], attempts: [Attempt]) {
    let want = testCase["attempts"] as? [[String: Any]] ?? []
    XCTAssertEqual(canonical(attempts.map(attemptJSON)), canonical(want), "\(name): attempts")
    for a in attempts where a.status != nil || a.transportError != nil {
        XCTAssertNotNil(a.elapsedMs, "\(name): \(a) was timed")
    }
    checkEvents(name, events, testCase["events"] as? [[String: Any]] ?? [])
    let last = events.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any] }
    let finished = (last?["attempts"] as? [[String: Any]] ?? []).map { $0.filter { $0.key != "elapsedMs" } }
    XCTAssertEqual(canonical(finished), canonical(want), "\(name): the attempts of call_finished")
}

/// Checks `events` against a vector's list: the same count, and each given key equal.
func checkEvents(_ name: String, _ events: [LeanEvent], _ want: [[String: Any]]) {
    XCTAssertEqual(events.count, want.count, "\(name): events \(events.map(\.name))")
    for (event, expected) in zip(events, want) {
        guard let got = try? JSONSerialization.jsonObject(with: Data(event.json.utf8)) as? [String: Any] else {
            return XCTFail("\(name): not JSON: \(event.json)")
        }
        XCTAssertEqual(got["event"] as? String, event.name, name)
        XCTAssertEqual(got["message"] as? String, event.message, name)
        XCTAssertEqual(got["level"] as? String, event.level == .debug ? "debug" : "info", name)
        XCTAssertFalse(event.message.isEmpty, "\(name): message of \(event.json)")
        for (key, value) in expected {
            if key == "path" {
                XCTAssertTrue((got["path"] as? String ?? "").hasSuffix(value as? String ?? "?"), "\(name): path of \(event.json)")
            } else {
                XCTAssertEqual(canonical(got[key] ?? NSNull()), canonical(value), "\(name): \(key) of \(event.json)")
            }
        }
    }
}

/// Starts `lean-sandbox` (the binary `LEAN_SANDBOX` names) with `arguments`: the process, and a
/// reader of its standard output's lines, where it prints the addresses it listens on.
func launchSandbox(_ arguments: [String]) throws -> (Process, () throws -> String) {
    let binary = try XCTUnwrap(ProcessInfo.processInfo.environment["LEAN_SANDBOX"],
                               "set LEAN_SANDBOX to the lean-sandbox binary (scripts/test swift does)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let line = { () throws -> String in
        var bytes = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    return (process, line)
}
