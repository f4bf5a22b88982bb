#if os(Linux)
import Foundation
import Glibc
import XCTest
@testable import LeanSDK

/// `CurlTransport`'s own contract, on loopback sockets: what a refused connection, a silent
/// server, a cancelled task and a header with a line break become. (Exchanges with a real
/// server are in SandboxTests and OpenBankingSandboxTests.)
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
                    bind(fd, $0, length) == 0 && (!listening || listen(fd, 4) == 0) && getsockname(fd, $0, &length) == 0
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
}
#endif
