import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Security)
import Security
#endif

extension OpenBanking {
    /// The application's client certificate for mutual TLS, which Lean's production hosts (and
    /// `uaeSandboxMtls`) require, plus Lean's CA chain to trust. Hand it to `OpenBankingClient`
    /// (or `URLSessionTransport(mtls:)`): the transport presents it when the server asks.
    ///
    /// Apple platforms present it through `URLSession`'s client-certificate challenge
    /// (`URLCredential(identity:certificates:persistence:)`), which needs a `SecIdentity`, read
    /// from a PKCS#12 bundle (`openssl pkcs12 -export -inkey client.key -in client.pem`).
    /// On Linux, FoundationNetworking has no way to present a client certificate (it never
    /// raises that challenge and never hands a certificate to libcurl), so `URLSessionTransport`
    /// refuses credentials there with a `configuration` error; pass another `Transport`.
    public struct MtlsCredentials: Sendable, CustomStringConvertible, CustomReflectable {
        enum Source: Sendable {
            case pkcs12(Data, password: String)
            case pem(certificateChain: String, privateKey: String)
        }

        let source: Source
        let caChainPem: String?

        /// A PKCS#12 bundle (certificate chain and private key) and its password; `caChainPem`
        /// is the CA chain the server's certificate must chain to (`nil`: the system's roots).
        public static func pkcs12(_ data: Data, password: String, caChainPem: String? = nil) -> MtlsCredentials {
            MtlsCredentials(source: .pkcs12(data, password: password), caChainPem: caChainPem)
        }

        /// PEM text: the certificate chain (yours first) and its PKCS#8 private key
        /// (`-----BEGIN PRIVATE KEY-----`, EC or RSA), as Lean issues them. Checked for shape
        /// here; Apple platforms need them as PKCS#12 (see the type's documentation).
        public static func pem(certificateChain: String, privateKey: String, caChain: String? = nil) throws -> MtlsCredentials {
            guard certificateChain.contains("-----BEGIN CERTIFICATE-----") else {
                throw LeanError.configuration("mTLS certificateChain: expected PEM certificates (-----BEGIN CERTIFICATE-----)")
            }
            guard privateKey.contains("-----BEGIN PRIVATE KEY-----") else {
                throw LeanError.configuration(
                    "mTLS privateKey: expected a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert a legacy key with openssl pkcs8 -topk8 -nocrypt")
            }
            if let caChain, !caChain.contains("-----BEGIN CERTIFICATE-----") {
                throw LeanError.configuration("mTLS caChain: expected PEM certificates (-----BEGIN CERTIFICATE-----)")
            }
            return MtlsCredentials(source: .pem(certificateChain: certificateChain, privateKey: privateKey), caChainPem: caChain)
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
        anchors = try mtls.caChainPem.map(Self.certificates) ?? []
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
    /// A transport that presents `mtls` when the server asks for a client certificate and
    /// trusts its CA chain. Throws a `configuration` error on Linux, whose FoundationNetworking
    /// cannot present a client certificate.
    public init(mtls: OpenBanking.MtlsCredentials) throws {
        #if canImport(Security)
        self.init(clientTrust: try ClientTrust(mtls))
        #else
        throw LeanError.configuration(
            "mutual TLS is not available with URLSessionTransport on Linux: FoundationNetworking cannot present a " +
                "client certificate. Pass a Transport that can (e.g. one on AsyncHTTPClient with NIOSSL), or run on an Apple platform")
        #endif
    }
}
