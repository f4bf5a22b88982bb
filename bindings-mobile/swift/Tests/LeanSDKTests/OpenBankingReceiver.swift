import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import LeanSDK

/// A webhook endpoint on 127.0.0.1 for the end-to-end tests, on plain POSIX sockets (the
/// Swift toolchain here has no HTTP server): each POST goes through
/// `OpenBanking.Webhooks.Verifier.receive`, and the status it returns is the answer.
final class WebhookReceiver: @unchecked Sendable {
    let port: UInt16
    private let socket: Int32
    private let verifier: OpenBanking.Webhooks.Verifier
    private let lock = NSLock()
    private var received: [OpenBanking.Event] = []
    private var statuses: [Int] = []

    init(verifier: OpenBanking.Webhooks.Verifier) throws {
        self.verifier = verifier
        #if canImport(Glibc)
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw LeanError.internal("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw LeanError.internal("cannot listen on 127.0.0.1")
        }
        socket = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [weak self] in self?.serve(fd) }
        thread.start()
    }

    /// Every verified event so far, and every status answered.
    var events: [OpenBanking.Event] { lock.withLock { received } }
    var answered: [Int] { lock.withLock { statuses } }

    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func serve(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            handle(client)
            close(client)
        }
    }

    /// Reads one request (headers, then `content-length` bytes), answers it, and returns.
    private func handle(_ client: Int32) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        var body: Data?
        var signature: String?
        while body == nil {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { return }
            data.append(contentsOf: buffer[0..<count])
            guard let end = data.range(of: separator) else { continue }
            let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            var fields: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(fields["content-length"] ?? "0") ?? 0
            let available = data[end.upperBound...]
            if available.count >= length {
                body = Data(available.prefix(length))
                signature = fields[OpenBanking.Webhooks.signatureHeader]
            }
        }
        let status = verifier.receive(payload: body ?? Data(), signature: signature) { event in
            lock.withLock { received.append(event) }
        }
        lock.withLock { statuses.append(status) }
        let answer = Array("HTTP/1.1 \(status) X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".utf8)
        _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }
}
