import Foundation

/// Webhook signatures (HMAC-SHA1 of the raw body in `x-lean-signature`). Verify the body
/// bytes exactly as received, before parsing them; the comparison is constant-time. Several
/// secrets may be given during a rotation.
public enum Webhooks {
    /// The name of the header carrying the signature.
    public static let signatureHeader = "x-lean-signature"

    /// The signature Lean would send for `payload`: for testing your webhook handler.
    public static func sign(secret: String, payload: Data) throws -> String {
        try native { try signWebhook(secret: Data(secret.utf8), payload: payload) }
    }

    /// Throws a `signature_*` `LeanError` unless `signature` matches `payload` under one of `secrets`.
    public static func verify(payload: Data, signature: String?, secrets: [String]) throws {
        try Verifier(secrets: secrets).verify(payload: payload, signature: signature)
    }

    /// Verifies, then parses the body into a typed `WebhookEvent`.
    public static func constructEvent(payload: Data, signature: String?, secrets: [String]) throws -> WebhookEvent {
        try Verifier(secrets: secrets).constructEvent(payload: payload, signature: signature)
    }

    /// A reusable verifier: build it once, so each secret's key is prepared once.
    public final class Verifier: CustomStringConvertible, CustomReflectable, @unchecked Sendable {
        private let inner: NativeWebhookVerifier

        public init(secrets: [String]) throws {
            inner = try native { try NativeWebhookVerifier(secrets: secrets.map { Data($0.utf8) }) }
        }

        /// Throws a `signature_*` `LeanError` unless `signature` matches the raw `payload`.
        public func verify(payload: Data, signature: String?) throws {
            try native { try inner.verify(payload: payload, signature: signature) }
        }

        /// Verifies, then parses the body into a typed `WebhookEvent`.
        public func constructEvent(payload: Data, signature: String?) throws -> WebhookEvent {
            try native { try inner.constructEvent(payload: payload, signature: signature) }
        }

        /// Never shows the secrets.
        public var description: String { "Webhooks.Verifier(<redacted>)" }
        public var customMirror: Mirror { Mirror(self, children: ["verifier": description]) }
    }
}
