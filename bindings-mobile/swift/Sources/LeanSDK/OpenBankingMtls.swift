import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Security)
import Security
#endif

extension OpenBanking {
    /// The application's client certificate for mutual TLS, which Lean's production hosts (and
    /// `uaeSandboxMtls`) require, plus Lean's CA chain to trust. Hand it to `OpenBankingClient`:
    /// its default transport presents it when the server asks.
    ///
    /// What runs where:
    /// - Apple platforms present it through `URLSession`'s client-certificate challenge
    ///   (`URLSessionTransport(mtls:)`, `URLCredential(identity:certificates:persistence:)`),
    ///   which needs a `SecIdentity`, read from a PKCS#12 bundle: pass `.pkcs12`
    ///   (`openssl pkcs12 -export -inkey client.key -in client.pem -out client.p12`).
    /// - Linux presents it through libcurl (`CurlTransport(mtls:)`), from PEM: pass `.pem` (text)
    ///   or `.pemFiles` (paths libcurl reads at each new connection, so a renewed certificate
    ///   written over the old one is picked up without a restart). FoundationNetworking cannot
    ///   present a client certificate (it never hands one to libcurl), hence the second transport.
    public struct MtlsCredentials: Sendable, CustomStringConvertible, CustomReflectable {
        /// PEM as text in memory, or as a file read by the transport when it connects.
        enum Pem: Sendable {
            case text(String)
            case file(String)

            /// The PEM text (a file is read now).
            func read() throws -> String {
                switch self {
                case let .text(text): return text
                case let .file(path): return try MtlsCredentials.contents(of: path, field: "caChain")
                }
            }
        }

        enum Source: Sendable {
            case pkcs12(Data, password: String)
            case pem(certificateChain: Pem, privateKey: Pem)
        }

        let source: Source
        let caChain: Pem?

        /// A PKCS#12 bundle (certificate chain and private key) and its password; `caChainPem`
        /// is the CA chain the server's certificate must chain to (`nil`: the system's roots).
        /// For Apple platforms; Linux needs `.pem` or `.pemFiles`.
        public static func pkcs12(_ data: Data, password: String, caChainPem: String? = nil) -> MtlsCredentials {
            MtlsCredentials(source: .pkcs12(data, password: password), caChain: caChainPem.map(Pem.text))
        }

        /// PEM text: the certificate chain (yours first) and its PKCS#8 private key
        /// (`-----BEGIN PRIVATE KEY-----`, EC or RSA), as Lean issues them, and the CA chain the
        /// server's certificate must chain to (`nil`: the system's roots). Checked for shape
        /// here. For Linux; Apple platforms need them as PKCS#12 (see the type's documentation).
        public static func pem(certificateChain: String, privateKey: String, caChain: String? = nil) throws -> MtlsCredentials {
            try check(certificateChain: certificateChain, privateKey: privateKey, caChain: caChain, at: nil)
            return MtlsCredentials(source: .pem(certificateChain: .text(certificateChain), privateKey: .text(privateKey)),
                                   caChain: caChain.map(Pem.text))
        }

        /// The same PEM as files: read and checked for shape here (a missing or unreadable file
        /// is a `configuration` error naming it), then read again by the transport at each new
        /// connection. For Linux, like `.pem`.
        public static func pemFiles(certificateChain: URL, privateKey: URL, caChain: URL? = nil) throws -> MtlsCredentials {
            let certificatePath = try path(certificateChain, field: "certificateChain")
            let keyPath = try path(privateKey, field: "privateKey")
            let caPath = try caChain.map { try path($0, field: "caChain") }
            try check(certificateChain: contents(of: certificatePath, field: "certificateChain"),
                      privateKey: contents(of: keyPath, field: "privateKey"),
                      caChain: caPath.map { try contents(of: $0, field: "caChain") },
                      at: (certificatePath, keyPath, caPath))
            return MtlsCredentials(source: .pem(certificateChain: .file(certificatePath), privateKey: .file(keyPath)),
                                   caChain: caPath.map(Pem.file))
        }

        private static func path(_ url: URL, field: String) throws -> String {
            guard url.isFileURL else {
                throw LeanError.configuration("mTLS \(field): expected a file URL, got \(url.absoluteString)")
            }
            return url.path
        }

        fileprivate static func contents(of path: String, field: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LeanError.configuration("mTLS \(field): cannot read the file \(path)")
            }
            return String(decoding: data, as: UTF8.self)
        }

        /// The shape every transport needs; never quotes the text (it may hold the key).
        private static func check(certificateChain: String, privateKey: String, caChain: String?,
                                  at paths: (String, String, String?)?) throws {
            func name(_ field: String, _ path: String?) -> String { path.map { "\(field) (\($0))" } ?? field }
            guard certificateChain.contains("-----BEGIN CERTIFICATE-----") else {
                throw LeanError.configuration(
                    "mTLS \(name("certificateChain", paths?.0)): expected PEM certificates (-----BEGIN CERTIFICATE-----)")
            }
            guard privateKey.contains("-----BEGIN PRIVATE KEY-----") else {
                throw LeanError.configuration(
                    "mTLS \(name("privateKey", paths?.1)): expected a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); " +
                        "convert a legacy key with openssl pkcs8 -topk8 -nocrypt")
            }
            if let caChain, !caChain.contains("-----BEGIN CERTIFICATE-----") {
                throw LeanError.configuration(
                    "mTLS \(name("caChain", paths?.2)): expected PEM certificates (-----BEGIN CERTIFICATE-----)")
            }
        }

        public var description: String { "OpenBanking.MtlsCredentials(<private key redacted>)" }
        public var customMirror: Mirror { Mirror(self, children: ["credentials": description]) }
    }
}

#if canImport(Security)
/// What an Apple `URLSession` needs to answer TLS challenges with the client certificate.
struct ClientTrust: @unchecked Sendable {
    let identity: SecIdentity
    let chain: [SecCertificate]
    let anchors: [SecCertificate]

    init(_ mtls: OpenBanking.MtlsCredentials) throws {
        guard case let .pkcs12(data, password) = mtls.source else {
            throw LeanError.configuration(
                "mTLS on Apple platforms needs the certificate and key as one PKCS#12 bundle " +
                    "(openssl pkcs12 -export -inkey client.key -in client.pem -out client.p12): pass MtlsCredentials.pkcs12")
        }
        var items: CFArray?
        let options = [kSecImportExportPassphrase as String: password] as CFDictionary
        let status = SecPKCS12Import(data as CFData, options, &items)
        guard status == errSecSuccess, let first = (items as? [[String: Any]])?.first,
              let identity = first[kSecImportItemIdentity as String] else {
            throw LeanError.configuration("mTLS: the PKCS#12 bundle could not be read (OSStatus \(status)): check the file and its password")
        }
        // swiftlint:disable:next force_cast
        self.identity = identity as! SecIdentity
        chain = Array(((first[kSecImportItemCertChain as String] as? [SecCertificate]) ?? []).dropFirst())
        anchors = try mtls.caChain.map { try Self.certificates($0.read()) } ?? []
    }

    private static func certificates(_ pem: String) throws -> [SecCertificate] {
        let blocks = pem.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst().compactMap {
            $0.components(separatedBy: "-----END CERTIFICATE-----").first
        }
        let certs = blocks.compactMap { block -> SecCertificate? in
            guard let der = Data(base64Encoded: block, options: .ignoreUnknownCharacters) else { return nil }
            return SecCertificateCreateWithData(nil, der as CFData)
        }
        guard !certs.isEmpty, certs.count == blocks.count else {
            throw LeanError.configuration("mTLS caChain: expected PEM certificates (-----BEGIN CERTIFICATE-----)")
        }
        return certs
    }

    /// The identity when the server asks for a client certificate; the CA chain as the only
    /// anchors when it presents its own; `nil` for anything else (the transport's handling).
    func answer(_ challenge: URLAuthenticationChallenge) -> (URLSession.AuthChallengeDisposition, URLCredential?)? {
        switch challenge.protectionSpace.authenticationMethod {
        case NSURLAuthenticationMethodClientCertificate:
            return (.useCredential, URLCredential(identity: identity, certificates: chain, persistence: .forSession))
        case NSURLAuthenticationMethodServerTrust where !anchors.isEmpty:
            guard let trust = challenge.protectionSpace.serverTrust else { return (.cancelAuthenticationChallenge, nil) }
            SecTrustSetAnchorCertificates(trust, anchors as CFArray)
            SecTrustSetAnchorCertificatesOnly(trust, true)
            return SecTrustEvaluateWithError(trust, nil)
                ? (.useCredential, URLCredential(trust: trust))
                : (.cancelAuthenticationChallenge, nil)
        default:
            return nil
        }
    }
}
#endif

extension URLSessionTransport {
    /// A transport that presents `mtls` (PKCS#12) when the server asks for a client certificate
    /// and trusts only its CA chain. Apple platforms only: on Linux, FoundationNetworking cannot
    /// present a client certificate, so this throws a `configuration` error naming
    /// `CurlTransport(mtls:)`, the transport that can (and that `OpenBankingClient` uses there).
    public init(mtls: OpenBanking.MtlsCredentials) throws {
        #if canImport(Security)
        self.init(clientTrust: try ClientTrust(mtls))
        #else
        throw LeanError.configuration(
            "mutual TLS is not available with URLSessionTransport on Linux: FoundationNetworking cannot present a " +
                "client certificate. Use CurlTransport(mtls:) (OpenBankingClient(mtls:) does), or run on an Apple platform")
        #endif
    }
}
