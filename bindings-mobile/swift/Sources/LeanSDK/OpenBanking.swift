import Foundation

/// Lean open banking (bank data and payments), beside the payouts `LeanClient` and on the same
/// Rust core: `OpenBankingClient` for the calls, `OpenBanking.Environment` for where they go,
/// `OpenBanking.Auth` for how they authenticate, `OpenBanking.Webhooks` for `lean-signature`,
/// and the results below (`Codable`, amounts `Decimal`, each with `json`: the object in the
/// API's shape, fields newer than this SDK included).
public enum OpenBanking {}

extension OpenBanking {
    /// A deployment of the open-banking API: its API host, its OAuth token host, and whether it
    /// demands the application's client certificate (mutual TLS).
    public struct Environment: Sendable, CustomStringConvertible {
        let handle: NativeObEnvironment

        /// UAE sandbox (`sandbox.leantech.me`): mock data, no mTLS; OAuth needs a token host.
        public static var uaeSandbox: Environment { documented("uae-sandbox") }
        /// The UAE sandbox host that enforces mTLS, to test certificates before going live.
        public static var uaeSandboxMtls: Environment { documented("uae-sandbox-mtls") }
        /// UAE production (`api.leantech.me`, tokens from `auth.leantech.me`): mTLS required.
        public static var uaeProduction: Environment { documented("uae-production") }
        /// KSA sandbox (`sandbox.sa.leantech.me`).
        public static var ksaSandbox: Environment { documented("ksa-sandbox") }
        /// KSA production (`api.sa.leantech.me`): mTLS required.
        public static var ksaProduction: Environment { documented("ksa-production") }

        /// The five names are the core's own and always parse (the shared vectors check them).
        private static func documented(_ name: String) -> Environment {
            // swiftlint:disable:next force_try
            try! parse(name)
        }

        /// The environment named by configuration text (`uae-sandbox`, `uae-sandbox-mtls`,
        /// `uae-production`, `ksa-sandbox`, `ksa-production`; any case, `_` for `-`).
        public static func parse(_ name: String) throws -> Environment {
            Environment(handle: try native { try NativeObEnvironment.parse(name: name) })
        }

        /// Another host, such as the local sandbox (`https://`, or `http://` on loopback);
        /// `tokenBaseUrl` is where `/oauth2/token` lives.
        public static func custom(_ apiBaseUrl: String, tokenBaseUrl: String? = nil,
                                  requiresMtls: Bool = false) throws -> Environment {
            var env = try native { try NativeObEnvironment.custom(apiBaseUrl: apiBaseUrl) }
            if let tokenBaseUrl {
                env = try native { try env.withTokenBaseUrl(tokenBaseUrl: tokenBaseUrl) }
            }
            return Environment(handle: env.withMtls(required: requiresMtls))
        }

        /// The same environment with another OAuth token host (needed for OAuth in the UAE sandbox).
        public func withTokenBaseUrl(_ url: String) throws -> Environment {
            Environment(handle: try native { try handle.withTokenBaseUrl(tokenBaseUrl: url) })
        }

        /// The same environment with mutual TLS required or not (custom hosts).
        public func withMtls(_ required: Bool) -> Environment { Environment(handle: handle.withMtls(required: required)) }

        /// `uae-production`, ..., or `custom`.
        public var name: String { handle.name() }
        /// The API base URL, without a trailing `/`.
        public var apiBaseUrl: String { handle.apiBaseUrl() }
        /// True when the host refuses connections without the client certificate.
        public var requiresMtls: Bool { handle.requiresMtls() }
        /// The OAuth token endpoint, or `nil` where it is not documented.
        public var tokenUrl: String? { try? handle.tokenUrl() }

        public var description: String { "OpenBanking.Environment(\(name), \(apiBaseUrl))" }
    }

    /// How an `OpenBankingClient` authenticates: the application token (`lean-app-token`),
    /// OAuth 2.0 client credentials (the client fetches, renews and shares tokens itself), or
    /// an access token obtained elsewhere. No secret shows in `description`, `dump` or errors.
    public struct Auth: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        enum Kind: Sendable {
            case fixed(NativeObAuth, String)
            case credentials(clientId: String, clientSecret: String, customerId: String?, marginMs: UInt64?)
        }

        let kind: Kind

        /// The application token from the Lean developer portal.
        public static func appToken(_ token: String) throws -> Auth {
            Auth(kind: .fixed(try native { try NativeObAuth.appToken(token: token) }, "appToken"))
        }

        /// An OAuth access token obtained elsewhere, sent as `Authorization: Bearer`; not renewed.
        public static func accessToken(_ token: String) throws -> Auth {
            Auth(kind: .fixed(try native { try NativeObAuth.bearer(token: token) }, "accessToken"))
        }

        /// The application id and client secret (checked when the client is built). Tokens are
        /// renewed `renewalMargin` seconds before expiry (60 by default); `customerId` asks for
        /// `customer.<id>` tokens instead of `api`.
        public static func clientCredentials(clientId: String, clientSecret: String, customerId: String? = nil,
                                             renewalMargin: TimeInterval? = nil) -> Auth {
            Auth(kind: .credentials(clientId: clientId, clientSecret: clientSecret, customerId: customerId,
                                    marginMs: renewalMargin.map { UInt64(max(0, $0) * 1000) }))
        }

        /// For client credentials: the token request for `environment`, for a backend that mints
        /// tokens itself (a customer-scoped token for the Link SDK). Its body holds the secret.
        public func tokenRequest(environment: Environment) throws -> TransportRequest {
            guard case let .credentials(clientId, secret, customerId, _) = kind else {
                throw LeanError.configuration("only client credentials have a token request")
            }
            let r = try native {
                try obTokenRequest(clientId: clientId, clientSecret: secret, environment: environment.handle,
                                   customerId: customerId)
            }
            return TransportRequest(r)
        }

        public var description: String {
            switch kind {
            case let .fixed(_, name): return "OpenBanking.Auth.\(name)(<redacted>)"
            case let .credentials(clientId, _, _, _): return "OpenBanking.Auth.clientCredentials(\(clientId), <redacted>)"
            }
        }

        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["auth": description]) }
    }

    /// An access token read from the token endpoint's answer; expiry counts from when it
    /// arrived, by this machine's clock. `description`, `debugDescription` and `dump` never show
    /// the token: read `accessToken`.
    public struct OAuthToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        let handle: NativeObToken

        /// Reads `response`, received at `receivedAt`; a refusal throws the API error.
        public static func parse(_ response: TransportResponse, receivedAt: Date,
                                 renewalMargin: TimeInterval? = nil) throws -> OAuthToken {
            OAuthToken(handle: try native {
                try NativeObToken.parse(response: response.toNative, receivedAtMs: receivedAt.unixMillis,
                                        renewalMarginMs: renewalMargin.map { UInt64(max(0, $0) * 1000) })
            })
        }

        /// The token itself, for `Authorization: Bearer` or, for a customer-scoped token, for the
        /// Link SDK on that customer's device. Keep it out of logs.
        public var accessToken: String { handle.accessToken() }
        /// When the token expires.
        public var expiresAt: Date { Date(timeIntervalSince1970: TimeInterval(handle.expiresAtMs()) / 1000) }
        /// The scope granted, if the server said.
        public var scope: String? { handle.scope() }
        /// True when a new token should be fetched before a call at `date`.
        public func needsRenewal(at date: Date) -> Bool { handle.needsRenewal(nowMs: date.unixMillis) }
        /// The authentication that sends this token.
        public var auth: Auth { Auth(kind: .fixed(handle.auth(), "accessToken")) }

        public var description: String {
            "OpenBanking.OAuthToken(<redacted>, expires \(expiresAt), scope \(scope ?? "unknown"))"
        }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["token": description]) }
    }
}

extension Date {
    var unixMillis: UInt64 { UInt64(max(0, (timeIntervalSince1970 * 1000).rounded())) }
}

extension LeanError {
    static func configuration(_ message: String) -> LeanError {
        LeanError(code: "configuration", message: message)
    }
}
