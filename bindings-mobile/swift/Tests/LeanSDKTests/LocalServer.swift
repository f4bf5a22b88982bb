import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import LeanSDK

/// A tiny HTTP server on 127.0.0.1 for the transport tests, on plain POSIX sockets: reads each
/// request whole (headers, then `content-length` bytes), counts it and what it carried, and
/// answers `respond(method, path)` as raw HTTP/1.1 text (or closes the connection for nil);
/// a handler that needs the headers and body takes the whole `Request` instead.
final class LocalServer: @unchecked Sendable {
    /// One request as read: header names in lower case, the body exactly as received.
    struct Request {
        let method: String
        let path: String
        let headers: [String: String]
        let body: Data
    }

    let port: UInt16
    var url: String { "http://127.0.0.1:\(port)" }
    private let socket: Int32
    private let lock = NSLock()
    private var count = 0
    private var authorized = 0
    private let respond: @Sendable (Request) -> String?

    convenience init(respond: @escaping @Sendable (String, String) -> String?) throws {
        try self.init(handle: { respond($0.method, $0.path) })
    }

    init(handle: @escaping @Sendable (Request) -> String?) throws {
        self.respond = handle
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

    /// Requests read so far, and how many carried an `authorization` header.
    var requests: Int { lock.withLock { count } }
    var withCredentials: Int { lock.withLock { authorized } }

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

    private func handle(_ client: Int32) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        while true {
            let n = read(client, &buffer, buffer.count)
            guard n > 0 else { return }
            data.append(contentsOf: buffer[0..<n])
            guard let end = data.range(of: separator) else { continue }
            let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            var fields: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(fields["content-length"] ?? "0") ?? 0
            guard data[end.upperBound...].count >= length else { continue }
            let request = head[0].split(separator: " ")
            lock.withLock {
                count += 1
                if fields["authorization"] != nil || fields["lean-app-token"] != nil { authorized += 1 }
            }
            let body = Data(data[end.upperBound...].prefix(length))
            guard let answer = respond(Request(method: String(request[0]), path: String(request[1]),
                                               headers: fields, body: body)) else { return }
            _ = Array(answer.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            return
        }
    }
}
