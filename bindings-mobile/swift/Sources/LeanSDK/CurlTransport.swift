#if os(Linux)
import Foundation
import LeanSDKCurl

/// A `Transport` on libcurl, for Linux: the one that can present a client certificate (mutual
/// TLS), which `OpenBankingClient` uses there when given `mtls`. FoundationNetworking, under
/// `URLSessionTransport`, runs on libcurl too but never hands it a certificate or a CA chain.
///
/// Each exchange runs `curl_easy_perform` on a thread of its own, never on Swift's cooperative
/// pool, so a slow server does not starve other tasks; idle handles are kept (with their open
/// connections and TLS sessions) for the next exchange. Cancelling the calling task aborts the
/// transfer (`CancellationError`). No redirect is followed, only `http` and `https` are allowed,
/// and proxies come from the environment (`https_proxy`, `no_proxy`), as for the `curl` tool.
public final class CurlTransport: Transport, @unchecked Sendable {
    private typealias Pem = OpenBanking.MtlsCredentials.Pem

    private let certificate: Pem?
    private let key: Pem?
    private let caChain: Pem?
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []
    private static let maxIdle = 16

    /// Plain HTTP, or HTTPS trusting the system's roots; no client certificate.
    public init() {
        (certificate, key, caChain) = (nil, nil, nil)
    }

    /// Presents `mtls` (PEM: `.pem` or `.pemFiles`) to servers that ask for a client
    /// certificate, and trusts only its CA chain for the server's certificate (the system's
    /// roots when it has none). A PKCS#12 bundle is a `configuration` error: convert it with
    /// `openssl pkcs12 -in client.p12 -nodes`.
    public init(mtls: OpenBanking.MtlsCredentials) throws {
        guard case let .pem(certificateChain, privateKey) = mtls.source else {
            throw LeanError.configuration(
                "CurlTransport needs the client certificate and key as PEM (MtlsCredentials.pem or .pemFiles); " +
                    "extract them from a PKCS#12 bundle with openssl pkcs12 -in client.p12 -nodes")
        }
        (certificate, key, caChain) = (certificateChain, privateKey, mtls.caChain)
    }

    /// Trusts only the CAs in `caChainPem` for the server's certificate and presents no client
    /// certificate: for a private CA without mutual TLS.
    public init(caChainPem: String) throws {
        guard caChainPem.contains("-----BEGIN CERTIFICATE-----") else {
            throw LeanError.configuration("CurlTransport caChainPem: expected PEM certificates (-----BEGIN CERTIFICATE-----)")
        }
        (certificate, key, caChain) = (nil, nil, .text(caChainPem))
    }

    deinit {
        idle.forEach(curl_easy_cleanup)
    }

    public func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
        let exchange = Exchange()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TransportResponse, Error>) in
                Thread { continuation.resume(with: self.perform(request, timeout: timeout, exchange)) }.start()
            }
        } onCancel: {
            exchange.cancel()
        }
    }

    /// libcurl's process-wide setup, done once before the first handle.
    private static let setup: CURLcode = lean_curl_global_init()

    private func perform(_ request: TransportRequest, timeout: TimeInterval,
                         _ exchange: Exchange) -> Result<TransportResponse, Error> {
        guard Self.setup == CURLE_OK else {
            return .failure(TransportFailure(.connect, "libcurl could not be initialised: \(Self.text(Self.setup))"))
        }
        if let header = request.headers.first(where: { "\($0.name)\($0.value)".contains(where: \.isNewline) }) {
            return .failure(TransportFailure(.connect, "the header \(header.name) contains a line break"))
        }
        guard let curl = lock.withLock({ idle.popLast() }) ?? curl_easy_init() else {
            return .failure(TransportFailure(.connect, "libcurl could not create a handle"))
        }
        defer {
            // Back to the pool with its connections, and without this exchange's pointers.
            curl_easy_reset(curl)
            lock.withLock {
                if idle.count < Self.maxIdle { idle.append(curl) } else { curl_easy_cleanup(curl) }
            }
        }
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }
        // `Expect:` (empty) stops libcurl from waiting for `100 Continue` before a body.
        for line in request.headers.map(Self.headerLine) + ["Expect:"] {
            guard let longer = curl_slist_append(headers, line) else {
                return .failure(TransportFailure(.connect, "out of memory for the request headers"))
            }
            headers = longer
        }
        let millis = Self.millis(timeout)
        let errors = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        defer { errors.deallocate() }
        errors.initialize(to: 0)
        let context = Unmanaged.passUnretained(exchange).toOpaque()

        var codes = [
            lean_curl_set_string(curl, CURLOPT_URL, request.url),
            lean_curl_set_string(curl, CURLOPT_PROTOCOLS_STR, "http,https"),
            lean_curl_set_string(curl, CURLOPT_CUSTOMREQUEST, request.method),
            lean_curl_set_long(curl, CURLOPT_NOBODY, request.method == "HEAD" ? 1 : 0),
            lean_curl_set_long(curl, CURLOPT_NOSIGNAL, 1),
            // A 3xx is the answer (the engine's `redirect` error): following it would send the
            // credentials wherever it points. Off is libcurl's default; stated so it stays off.
            lean_curl_set_long(curl, CURLOPT_FOLLOWLOCATION, 0),
            lean_curl_set_long(curl, CURLOPT_TIMEOUT_MS, millis),
            lean_curl_set_pointer(curl, CURLOPT_HTTPHEADER, headers),
            lean_curl_set_pointer(curl, CURLOPT_ERRORBUFFER, errors),
            lean_curl_set_write(curl, CURLOPT_WRITEFUNCTION, Self.onBody),
            lean_curl_set_pointer(curl, CURLOPT_WRITEDATA, context),
            lean_curl_set_write(curl, CURLOPT_HEADERFUNCTION, Self.onHeader),
            lean_curl_set_pointer(curl, CURLOPT_HEADERDATA, context),
            lean_curl_set_long(curl, CURLOPT_NOPROGRESS, 0),
            lean_curl_set_xferinfo(curl, Self.onProgress),
            lean_curl_set_pointer(curl, CURLOPT_XFERINFODATA, context),
        ]
        if let body = request.body {
            // The size first: COPYPOSTFIELDS then copies exactly that many bytes.
            let bytes = body.utf8CString
            codes.append(lean_curl_set_long(curl, CURLOPT_POSTFIELDSIZE, bytes.count - 1))
            codes.append(bytes.withUnsafeBufferPointer {
                lean_curl_set_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
            })
        }
        codes += tlsOptions(curl)
        if let failed = codes.first(where: { $0 != CURLE_OK }) {
            return .failure(TransportFailure(.connect, "libcurl refused an option: \(Self.text(failed))"))
        }

        let code = curl_easy_perform(curl)
        if code == CURLE_ABORTED_BY_CALLBACK, exchange.isCancelled {
            return .failure(CancellationError())
        }
        guard code == CURLE_OK else {
            var sent = 0
            _ = lean_curl_info_long(curl, CURLINFO_REQUEST_SIZE, &sent)
            let detail = String(cString: errors)
            return .failure(failure(code, detail.isEmpty ? Self.text(code) : detail, sent: sent > 0, millis: millis))
        }
        var status = 0
        _ = lean_curl_info_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return .success(TransportResponse(status: status, headers: exchange.headers, body: exchange.body))
    }

    /// The client certificate, its key and the CA chain: files by path, text as in-memory PEM.
    /// A given CA chain is the only trust (libcurl's default CA directory is switched off).
    private func tlsOptions(_ curl: UnsafeMutableRawPointer) -> [CURLcode] {
        func set(_ pem: Pem?, file: CURLoption, blob: CURLoption) -> CURLcode {
            switch pem {
            case nil: return CURLE_OK
            case let .file(path): return lean_curl_set_string(curl, file, path)
            case let .text(text): return Array(text.utf8).withUnsafeBytes {
                    lean_curl_set_blob(curl, blob, $0.baseAddress, $0.count)
                }
            }
        }
        var codes = [
            set(certificate, file: CURLOPT_SSLCERT, blob: CURLOPT_SSLCERT_BLOB),
            set(key, file: CURLOPT_SSLKEY, blob: CURLOPT_SSLKEY_BLOB),
            set(caChain, file: CURLOPT_CAINFO, blob: CURLOPT_CAINFO_BLOB),
        ]
        if certificate != nil {
            codes.append(lean_curl_set_string(curl, CURLOPT_SSLCERTTYPE, "PEM"))
            codes.append(lean_curl_set_string(curl, CURLOPT_SSLKEYTYPE, "PEM"))
        }
        if caChain != nil {
            codes.append(lean_curl_set_string(curl, CURLOPT_CAPATH, nil))
        }
        return codes
    }

    /// The engine's kind of failure, and what to do about a TLS one. Nothing is sent before the
    /// connection and its handshake are up, so a failure there is `connect` (safe to retry),
    /// a timeout too when no byte of the request left. A server that refuses the client
    /// certificate with TLS 1.3 does so after the handshake, when the request may have left:
    /// `other`, like the Kotlin and Python transports.
    private func failure(_ code: CURLcode, _ detail: String, sent: Bool, millis: Int) -> TransportFailure {
        let refused = certificate == nil
            ? " (TLS: the server refused the handshake; if it requires mutual TLS, pass the client certificate " +
            "Lean issued: OpenBankingClient(mtls:) or CurlTransport(mtls:) with OpenBanking.MtlsCredentials)"
            : " (TLS: the server refused the handshake; if it requires mutual TLS, check that the client certificate " +
            "is the one Lean issued for this environment, with its own private key)"
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
             CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return TransportFailure(.connect, "cannot connect: \(detail)")
        case CURLE_OPERATION_TIMEDOUT:
            return sent
                ? TransportFailure(.timeout, "no answer within \(millis) ms: \(detail)")
                : TransportFailure(.connect, "cannot connect within \(millis) ms: \(detail)")
        case CURLE_PEER_FAILED_VERIFICATION:
            return TransportFailure(.connect, "cannot connect: \(detail) (TLS: the server's certificate is not trusted; " +
                "pass the CA chain that signed it: MtlsCredentials caChain, or CurlTransport(caChainPem:))")
        case CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            return TransportFailure(.connect, "cannot connect: \(detail) (TLS: the client certificate, its private key or " +
                "the CA chain could not be used: check the PEM, and that the key belongs to the certificate)")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CLIENTCERT:
            return TransportFailure(.connect, "cannot connect: \(detail)\(refused)")
        case CURLE_SEND_ERROR where detail.contains("alert"), CURLE_RECV_ERROR where detail.contains("alert"):
            return TransportFailure(sent ? .other : .connect, "the exchange failed: \(detail)\(refused)")
        default:
            return TransportFailure(sent ? .other : .connect, "the exchange failed: \(detail)")
        }
    }

    private static func text(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }

    /// `name: value`, or `name;` for an empty value (libcurl drops a header written `name:`).
    private static func headerLine(_ header: (name: String, value: String)) -> String {
        header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
    }

    /// At least 1 ms (0 would mean no limit), finite, within libcurl's `long`.
    private static func millis(_ timeout: TimeInterval) -> Int {
        guard timeout.isFinite else { return Int(Int32.max) }
        return Int(min(max(timeout * 1000, 1), Double(Int32.max)))
    }

    private static let onBody: curl_write_callback = { data, size, count, context in
        let length = size * count
        if let data, let context {
            Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue().body
                .append(UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length))
        }
        return length
    }

    private static let onHeader: curl_write_callback = { data, size, count, context in
        let length = size * count
        if let data, let context {
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
            Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue().header(line)
        }
        return length
    }

    private static let onProgress: curl_xferinfo_callback = { context, _, _, _, _ in
        guard let context else { return 0 }
        return Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
    }
}

/// One exchange's answer as it arrives (written by its thread only) and its cancellation.
private final class Exchange: @unchecked Sendable {
    var body = Data()
    private(set) var headers: [(name: String, value: String)] = []
    private let lock = NSLock()
    private var cancelled = false

    var isCancelled: Bool { lock.withLock { cancelled } }

    func cancel() { lock.withLock { cancelled = true } }

    /// One header line; a status line (`HTTP/1.1 100`, then `HTTP/1.1 200`) starts a new list.
    func header(_ line: String) {
        let line = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            headers.append((name: String(line[..<colon]),
                            value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }
}
#endif
