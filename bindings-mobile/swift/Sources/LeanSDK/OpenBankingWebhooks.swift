import Foundation

extension OpenBanking {
    /// Open-banking webhooks: `lean-signature: sha512=<digest>`, an HMAC-SHA512 of the **raw
    /// body** with the webhook secret (hex or base64 digest), checked in constant time.
    ///
    /// A receiver must answer **HTTP 200** to every webhook it accepts, quickly, and do its work
    /// afterwards: Lean retries anything else after 1, 2, 5, 10, 60 and 180 minutes.
    /// `Verifier.receive` does both: it verifies, hands the event over, and returns the status.
    public enum Webhooks {
        /// The header carrying the signature.
        public static let signatureHeader = "lean-signature"
        /// What a receiver answers every webhook it accepted (duplicates included).
        public static var acknowledgeStatus: Int { Int(obWebhookAcknowledgeStatus()) }
        /// What a receiver answers a body whose signature does not verify (Lean retries it).
        public static let rejectStatus = 401
        /// Minutes after which Lean retries a webhook not answered 200.
        public static var retryMinutes: [UInt64] { obWebhookRetryMinutes() }

        /// The signature Lean would send for `payload` under `secret`, for tests of receivers.
        public static func sign(secret: String, payload: Data) throws -> String {
            try native { try obSignWebhook(secret: Data(secret.utf8), payload: payload) }
        }

        /// Verifies and parses webhooks for one or more secrets (the old and the new one during
        /// a rotation). Build it once; it never shows the secrets.
        public final class Verifier: CustomStringConvertible, CustomReflectable, @unchecked Sendable {
            private let handle: NativeObWebhookVerifier

            public init(secrets: [String]) throws {
                handle = try native { try NativeObWebhookVerifier(secrets: secrets.map { Data($0.utf8) }) }
            }

            /// Checks `signature` (the header, `nil` when absent) against the raw `payload`.
            public func verify(payload: Data, signature: String?) throws {
                try native { try handle.verify(payload: payload, signature: signature) }
            }

            /// Verifies, then parses the body (unknown types kept).
            public func constructEvent(payload: Data, signature: String?) throws -> Event {
                Event(try native { try handle.constructEvent(payload: payload, signature: signature) })
            }

            /// For a webhook endpoint: verifies the raw `payload`, passes the event to `onEvent`
            /// and returns the status to answer: 200 when verified (so that Lean stops
            /// retrying), `rejectStatus` when the signature is wrong. If `onEvent` throws, the
            /// error propagates and nothing should be answered 200: Lean delivers it again.
            public func receive(payload: Data, signature: String?, onEvent: (Event) throws -> Void) rethrows -> Int {
                let event: Event
                do {
                    event = try constructEvent(payload: payload, signature: signature)
                } catch {
                    return Webhooks.rejectStatus
                }
                try onEvent(event)
                return Webhooks.acknowledgeStatus
            }

            /// `receive` for a body still in the server's request stream: reads at most
            /// `limit` bytes (`Webhooks.readBody`, refusing a larger `declaredLength` first) and
            /// answers 413 past it, without calling `onEvent`.
            public func receive(body: InputStream, declaredLength: Int?, signature: String?,
                                limit: Int = LeanSDK.Webhooks.defaultBodyLimit,
                                onEvent: (Event) throws -> Void) rethrows -> Int {
                guard let payload = try? LeanSDK.Webhooks.readBody(from: body, declaredLength: declaredLength, limit: limit) else {
                    return 413
                }
                return try receive(payload: payload, signature: signature, onEvent: onEvent)
            }

            public var description: String { "OpenBanking.Webhooks.Verifier(<secrets redacted>)" }
            public var customMirror: Mirror { Mirror(self, children: ["verifier": description]) }
        }
    }
}
