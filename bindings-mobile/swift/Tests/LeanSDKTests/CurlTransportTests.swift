#if os(Linux)
import Foundation
import Glibc
import XCTest
@testable import LeanSDK

/// `CurlTransport`'s own contract, on loopback sockets: what a refused connection, a silent
/// server, a cancelled task and a header with a line break become, and many exchanges at once
/// through one transport, as a server's tasks make them (against the local sandbox, and a
/// silent server for cancellation). (Single calls against a real server are in SandboxTests
/// and OpenBankingSandboxTests.)
final class CurlTransportTests: XCTestCase {
    /// A port on 127.0.0.1 that accepts connections (the kernel's backlog) and never answers;
    /// with `listening: false`, a port nothing listens on.
    private final class Silent {
        let port: UInt16
        private let fd: Int32

        init(listening: Bool) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = self.fd
            let ready = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && (!listening || listen(fd, 128) == 0) && getsockname(fd, $0, &length) == 0
                }
            }
            port = UInt16(bigEndian: address.sin_port)
            guard fd >= 0, ready else { throw LeanError.internal("cannot bind 127.0.0.1") }
        }

        deinit { close(fd) }
    }

    private func failure(_ url: String, timeout: TimeInterval = 5,
                         headers: [(name: String, value: String)] = []) async throws -> TransportFailure {
        do {
            let response = try await CurlTransport().send(TransportRequest(method: "POST", url: url, headers: headers, body: "{}"),
                                                          timeout: timeout)
            throw LeanError.internal("expected a failure, got HTTP \(response.status)")
        } catch let failure as TransportFailure {
            return failure
        }
    }

    func testARefusedConnectionIsConnect() async throws {
        let closed = try Silent(listening: false)
        let failure = try await failure("http://127.0.0.1:\(closed.port)/")
        XCTAssertEqual(failure.kind, .connect, failure.message)
    }

    func testNoAnswerInTimeIsTimeout() async throws {
        let silent = try Silent(listening: true)
        let failure = try await failure("http://127.0.0.1:\(silent.port)/", timeout: 0.3)
        XCTAssertEqual(failure.kind, .timeout, failure.message)
        XCTAssertTrue(failure.message.contains("300 ms"), failure.message)
    }

    func testCancellingTheTaskAbortsTheExchange() async throws {
        let silent = try Silent(listening: true)
        let task = Task {
            try await CurlTransport().send(TransportRequest(method: "GET", url: "http://127.0.0.1:\(silent.port)/", headers: [],
                                                            body: nil), timeout: 60)
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
    }

    func testAHeaderWithALineBreakIsRefusedBeforeSending() async throws {
        let silent = try Silent(listening: true)
        let failure = try await failure("http://127.0.0.1:\(silent.port)/", headers: [(name: "x-a", value: "1\r\nx-b: 2")])
        XCTAssertEqual(failure.kind, .connect)
        XCTAssertTrue(failure.message.contains("x-a"), failure.message)
    }

    func testPkcs12IsRefusedWithTheConversion() throws {
        XCTAssertThrowsError(try CurlTransport(mtls: .pkcs12(Data([1, 2, 3]), password: "p"))) {
            XCTAssertEqual(($0 as? LeanError)?.code, "configuration")
            XCTAssertTrue(($0 as? LeanError)?.message.contains("openssl pkcs12") ?? false, "\($0)")
        }
        XCTAssertThrowsError(try CurlTransport(caChainPem: "nope"))
    }

    // MARK: many exchanges at once

    /// More exchanges at once than the machine has cores and than the transport keeps idle
    /// handles (16), so that threads, handles and connections are all shared out at once.
    private static let concurrent = 48

    /// One exchange's outcome, the request's own `app_user_id` beside it.
    private typealias Outcome = (appUserId: String, result: Result<TransportResponse, Error>)

    /// `count` open-banking customers created at once through `transport` (each task its own
    /// `app_user_id`), and after `cancelAfter` the group cancelled. The whole is bounded by
    /// `within`: a hang fails the test.
    private func createCustomers(_ count: Int, through transport: CurlTransport, at base: String,
                                 cancelAfter: UInt64? = nil) async throws -> [Outcome] {
        try await within(60) {
            await withTaskGroup(of: Outcome.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let appUserId = "curl-\(index)-\(UUID().uuidString)"
                        let request = TransportRequest(
                            method: "POST", url: base + "/customers/v1",
                            headers: [(name: "content-type", value: "application/json"),
                                      (name: "lean-app-token", value: "sandbox-app-token")],
                            body: #"{"app_user_id": "\#(appUserId)"}"#)
                        do {
                            return (appUserId, .success(try await transport.send(request, timeout: 30)))
                        } catch {
                            return (appUserId, .failure(error))
                        }
                    }
                }
                if let cancelAfter {
                    try? await Task.sleep(nanoseconds: cancelAfter)
                    group.cancelAll()
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
    }

    /// The answer is the one to this request: a created customer with its own `app_user_id`.
    private func assertCreated(_ response: TransportResponse, _ appUserId: String) {
        XCTAssertTrue((200..<300).contains(response.status), "HTTP \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        XCTAssertEqual(json?["app_user_id"] as? String, appUserId, String(decoding: response.body, as: UTF8.self))
    }

    /// Many tasks share one transport over plain HTTP and over mutual TLS (both at once, twice,
    /// so the second round runs on the handles and connections the first left idle): every
    /// exchange completes, and each gets its own answer.
    func testManyExchangesAtOnceEachGetTheirOwnAnswer() async throws {
        let sandbox = try SandboxProcess(["--api-key", "unused"], tls: true)
        defer { sandbox.stop() }
        let plain = CurlTransport()
        let mtls = try CurlTransport(mtls: .pemFiles(certificateChain: sandbox.cert("client.pem"),
                                                     privateKey: sandbox.cert("client.key"),
                                                     caChain: sandbox.cert("ca.pem")))
        for _ in 0..<2 {
            async let overPlain = createCustomers(Self.concurrent, through: plain, at: sandbox.url)
            async let overMtls = createCustomers(Self.concurrent, through: mtls, at: sandbox.mtlsUrl)
            let outcomes = try await overPlain + overMtls
            XCTAssertEqual(outcomes.count, 2 * Self.concurrent)
            for (appUserId, result) in outcomes {
                switch result {
                case let .success(response): assertCreated(response, appUserId)
                case let .failure(error): XCTFail("\(appUserId): \(error)")
                }
            }
        }
    }

    /// Cancelling a group of exchanges a server never answers aborts every one of them with
    /// `CancellationError`, and the transport serves the next exchange afterwards.
    func testCancellingManyWaitingExchangesAbortsEachOne() async throws {
        let silent = try Silent(listening: true)
        let url = "http://127.0.0.1:\(silent.port)/"
        let transport = CurlTransport()
        let outcomes = try await within(30) {
            await withTaskGroup(of: Result<TransportResponse, Error>.self) { group in
                for _ in 0..<Self.concurrent {
                    group.addTask {
                        do {
                            return .success(try await transport.send(
                                TransportRequest(method: "GET", url: url, headers: [], body: nil),
                                timeout: 60))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                try? await Task.sleep(nanoseconds: 300_000_000)
                group.cancelAll()
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        withExtendedLifetime(silent) {}
        XCTAssertEqual(outcomes.count, Self.concurrent)
        for outcome in outcomes {
            switch outcome {
            case let .success(response): XCTFail("expected cancellation, got HTTP \(response.status)")
            case let .failure(error): XCTAssertTrue(error is CancellationError, "\(error)")
            }
        }
        let sandbox = try SandboxProcess(["--api-key", "unused"])
        defer { sandbox.stop() }
        let after = try await createCustomers(1, through: transport, at: sandbox.url)
        for (appUserId, result) in after { assertCreated(try result.get(), appUserId) }
    }

    /// Cancelling while exchanges with a real server are under way, some done, some not: each
    /// ends either with its own answer or with `CancellationError`, never another failure, never
    /// a hang; the idle handles the aborted ones left serve the next round.
    func testCancellingExchangesUnderWayEndsEachOneOnce() async throws {
        let sandbox = try SandboxProcess(["--api-key", "unused"])
        defer { sandbox.stop() }
        let transport = CurlTransport()
        for delay: UInt64 in [0, 2_000_000, 20_000_000] {
            let outcomes = try await createCustomers(Self.concurrent, through: transport, at: sandbox.url, cancelAfter: delay)
            XCTAssertEqual(outcomes.count, Self.concurrent)
            for (appUserId, result) in outcomes {
                switch result {
                case let .success(response): assertCreated(response, appUserId)
                case let .failure(error): XCTAssertTrue(error is CancellationError, "\(appUserId): \(error)")
                }
            }
        }
        let after = try await createCustomers(Self.concurrent, through: transport, at: sandbox.url)
        for (appUserId, result) in after { assertCreated(try result.get(), appUserId) }
    }

    /// Runs `work` in a task of its own and waits at most `seconds` for it: past that the test
    /// fails and the task is cancelled, instead of the run hanging. The deadline is a Dispatch
    /// timer, off Swift's cooperative pool, so it fires even when that pool is starved.
    private func within<T>(_ seconds: TimeInterval, file: StaticString = #filePath, line: UInt = #line,
                           _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let once = Once(continuation)
                let task = Task {
                    do { once.resume(.success(try await work())) } catch { once.resume(.failure(error)) }
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                    if once.resume(.failure(Hung(seconds: seconds))) { task.cancel() }
                }
            }
        } catch let hung as Hung {
            XCTFail("\(hung)", file: file, line: line)
            throw hung
        }
    }

    private struct Hung: Error, CustomStringConvertible {
        let seconds: TimeInterval
        var description: String { "the exchanges did not all end within \(Int(seconds)) s" }
    }

    /// A continuation resumed by the first of two racers; the second is told it lost.
    private final class Once<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, Error>?

        init(_ continuation: CheckedContinuation<T, Error>) { self.continuation = continuation }

        @discardableResult
        func resume(_ result: Result<T, Error>) -> Bool {
            guard let continuation = lock.withLock({ () -> CheckedContinuation<T, Error>? in
                defer { self.continuation = nil }
                return self.continuation
            }) else { return false }
            continuation.resume(with: result)
            return true
        }
    }
}
#endif
