import Foundation
#if canImport(LeanSDKFFI)
import LeanSDKFFI
#endif

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
        /// The verifier's handle for the plain C entry point (`lean_sdk_fast.h`).
        private let handle: UInt64

        public init(secrets: [String]) throws {
            inner = try native { try NativeWebhookVerifier(secrets: secrets.map { Data($0.utf8) }) }
            handle = inner.fastHandle()
        }

        deinit {
            _ = lean_sdk_fast_release(handle)
        }

        /// Throws a `signature_*` `LeanError` unless `signature` matches the raw `payload`.
        ///
        /// The body is read in place through the library's plain C entry point (the generated
        /// call would first copy it into a Rust buffer, byte by byte on Linux); only a failure
        /// goes through the generated binding, which describes it.
        public func verify(payload: Data, signature: String?) throws {
            if payload.count <= Int(Int32.max), fastVerify(payload, signature) == 0 { return }
            try native { try inner.verify(payload: payload, signature: signature) }
        }

        private func fastVerify(_ payload: Data, _ signature: String?) -> Int32 {
            payload.withUnsafeBytes { body in
                let bytes = body.bindMemory(to: UInt8.self)
                guard var signature else {
                    return lean_sdk_fast_verify(handle, bytes.baseAddress, Int32(bytes.count), nil, -1)
                }
                return signature.withUTF8 { header in
                    lean_sdk_fast_verify(handle, bytes.baseAddress, Int32(bytes.count), header.baseAddress, Int32(header.count))
                }
            }
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
