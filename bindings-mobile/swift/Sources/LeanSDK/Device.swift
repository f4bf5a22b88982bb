import Foundation

/// Where this code runs: in an app on a customer's device, a partner secret (the payouts API
/// key, the open-banking client secret, the mTLS private key) can be extracted by anyone who
/// has the app, so clients built with one refuse to start there unless the caller opts in.
enum Device {
    /// The opt-in as Swift callers write it, named in the refusal.
    private static let optIn = "dangerouslyAllowSecretsOnDevice: true"

    /// True on iOS, iPadOS, tvOS, watchOS and visionOS; tests set it to exercise the refusal.
    #if os(iOS) || os(tvOS) || os(watchOS) || os(visionOS)
    nonisolated(unsafe) static var isApp = true
    #else
    nonisolated(unsafe) static var isApp = false
    #endif

    /// Throws `LeanError.configuration` for `secret` in an app, unless `allowed`.
    static func check(_ secret: PartnerSecret, allowed: Bool) throws {
        if isApp && !allowed { try native { try refuseSecretOnDevice(secret: secret, optIn: optIn) } }
    }
}
