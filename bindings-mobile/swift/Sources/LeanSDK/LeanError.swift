/// Every failure of the SDK. `code` is the same stable machine code in every language
/// (`validation`, `not_found`, `transport`, `signature_mismatch`...); switch on `kind` for
/// the cases a caller handles differently. Messages never contain the API key or a secret.
public struct LeanError: Error, CustomStringConvertible, Sendable {
    /// The classes of failure, one per group of codes.
    public enum Kind: Sendable, Equatable {
        /// The input was refused before anything was sent (`validation`).
        case validation
        /// The client is set up wrongly (`configuration`).
        case configuration
        /// The API answered with a non-2xx status (`bad_request`, `unauthorized`,
        /// `not_found`, `rate_limited`, `service_unavailable`, `server_error`, `api_error`).
        case api
        /// Every attempt failed below HTTP (`transport`); see `outcomeUnknown`.
        case transport
        /// A 2xx answer that is not what the API documents (`invalid_response`).
        case invalidResponse
        /// A retried create found a different record with the same id (`conflict`).
        case conflict
        /// A webhook signature is missing, malformed or wrong (`signature_*`).
        case webhookSignature
        /// A verified webhook body is not a valid envelope (`invalid_payload`).
        case webhookPayload
        /// A bug in the SDK, a caught Rust panic included (`internal`).
        case `internal`
    }

    /// The stable machine code.
    public let code: String
    /// What went wrong, for a person.
    public let message: String
    /// Every failing field (validation), or the field errors an API 400 listed.
    public let fieldErrors: [FieldError]
    /// The HTTP status, for API errors and invalid responses.
    public let status: Int?
    /// The API's own message, for API errors.
    public let apiMessage: String?
    /// The API's own error code when its body carried one (open banking:
    /// `CUSTOMER_ALREADY_EXISTS`, `INVALID_PARAMETERS`, `FAILED` for a failed data answer).
    public let apiCode: String?
    /// The raw response body, for API errors and invalid responses.
    public let body: String?
    /// The answer's request id, for support tickets.
    public let requestId: String?
    /// How long the API asked to wait, in milliseconds.
    public let retryAfterMs: UInt64?
    /// For transport errors: an attempt may have reached the API, so look a payout up (or
    /// retry it with the same idempotency key) before paying again.
    public let outcomeUnknown: Bool

    /// The class of this error.
    public var kind: Kind {
        switch code {
        case "validation": return .validation
        case "configuration": return .configuration
        case "bad_request", "unauthorized", "not_found", "rate_limited", "service_unavailable",
             "server_error", "api_error": return .api
        case "transport": return .transport
        case "invalid_response": return .invalidResponse
        case "conflict": return .conflict
        case "signature_missing", "signature_malformed", "signature_mismatch": return .webhookSignature
        case "invalid_payload": return .webhookPayload
        default: return .internal
        }
    }

    public var description: String { "LeanError(\(code)): \(message)" }

    init(_ d: ErrorDetails) {
        code = d.code
        message = d.message
        fieldErrors = d.fieldErrors
        status = d.status.map(Int.init)
        apiMessage = d.apiMessage
        apiCode = d.apiCode
        body = d.body
        requestId = d.requestId
        retryAfterMs = d.retryAfterMs
        outcomeUnknown = d.outcomeUnknown
    }

    static func `internal`(_ message: String) -> LeanError {
        LeanError(ErrorDetails(code: "internal", message: message, fieldErrors: [], status: nil, body: nil,
                               apiMessage: nil, apiCode: nil, requestId: nil, retryAfterMs: nil,
                               outcomeUnknown: false))
    }
}

/// Runs a call into the native library, rethrowing its errors as `LeanError`.
@inline(__always)
func native<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let FfiError.Failed(details) {
        throw LeanError(details)
    } catch let error as LeanError {
        throw error
    } catch {
        throw LeanError.internal("internal error in lean-sdk (please report it): \(error)")
    }
}
