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
        /// The API answered with a redirect (`redirect`), which the SDK never follows, so
        /// that credentials stay on the configured origin; see `location`.
        case redirect
        /// A webhook body over the reader's limit (`payload_too_large`): answer `status` (413).
        case payloadTooLarge
        /// A bug in the SDK, a caught Rust panic included (`internal`).
        case `internal`
    }

    /// The stable machine code.
    public let code: String
    /// What went wrong, for a person.
    public let message: String
    /// Every failing field (validation), or the field errors an API 400 listed.
    public let fieldErrors: [FieldError]
    /// The HTTP status, for API errors, invalid responses and redirects (413 for a webhook
    /// body over the limit).
    public let status: Int?
    /// The API's own message, for API errors.
    public let apiMessage: String?
    /// The API's own error code when its body carried one (open banking:
    /// `CUSTOMER_ALREADY_EXISTS`, `INVALID_PARAMETERS`, `FAILED` for a failed data answer).
    public let apiCode: String?
    /// Open banking: why the bank could not provide the data, on a `FAILED` data answer
    /// (`granular_status_code`, e.g. `CONSENT_EXPIRED`), so that a program can tell a consent
    /// to renew from a bank that is down.
    public let granularStatusCode: String?
    /// The raw response body, for API errors and invalid responses.
    public let body: String?
    /// The answer's request id, for support tickets.
    public let requestId: String?
    /// How long the API asked to wait, in milliseconds.
    public let retryAfterMs: UInt64?
    /// For transport errors: an attempt may have reached the API, so look a payout up (or
    /// retry it with the same idempotency key) before paying again.
    public let outcomeUnknown: Bool
    /// The `Idempotency-Key` the call sent (`transport`, `invalid_response`), if it carried
    /// one: retry with this key, never a fresh one.
    public let idempotencyKey: String?
    /// The caller-chosen ids the call sent, by wire name (`gigId`, `app_user_id`), on
    /// `transport` and `invalid_response`: look the record up by them before creating again.
    public let sentIds: [String: String]
    /// For `invalid_response`: the API answered 2xx to an operation that changes something,
    /// so it was applied even though the answer could not be read. Do not send it again.
    public let applied: Bool
    /// For `redirect`: where the answer pointed (its `Location` header), if it said.
    public let location: String?
    /// Every attempt of the call that failed, in order: each status and request id to quote
    /// to Lean's support. Empty when nothing was sent (validation, configuration, webhooks).
    public let attempts: [Attempt]

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
        case "redirect": return .redirect
        case "payload_too_large": return .payloadTooLarge
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
        granularStatusCode = d.granularStatusCode
        body = d.body
        requestId = d.requestId
        retryAfterMs = d.retryAfterMs
        outcomeUnknown = d.outcomeUnknown
        idempotencyKey = d.idempotencyKey
        sentIds = d.sentIds
        applied = d.applied
        location = d.location
        attempts = d.attempts.map(Attempt.init)
    }

    static func `internal`(_ message: String) -> LeanError {
        LeanError(code: "internal", message: message)
    }

    /// An error the Swift layer raises itself (no details beyond code, message and status).
    init(code: String, message: String, status: Int? = nil) {
        self.init(ErrorDetails(code: code, message: message, fieldErrors: [], status: status.map { UInt16($0) },
                               body: nil, apiMessage: nil, apiCode: nil, granularStatusCode: nil, requestId: nil, retryAfterMs: nil,
                               outcomeUnknown: false, idempotencyKey: nil, sentIds: [:], applied: false,
                               location: nil, attempts: []))
    }
}

/// A call cancelled mid-flight (its task was cancelled while it may have been sending). The
/// SDK ends the call and throws this instead of a bare `CancellationError`, so that the
/// caller learns what was sent: `report` is the `transport` error saying whether an attempt
/// may have been applied, with the `idempotencyKey` and `sentIds` to look it up or retry by.
/// The task stays cancelled (`Task.isCancelled`).
public struct LeanCancellationError: Error, CustomStringConvertible, Sendable {
    /// What the interrupted call had sent.
    public let report: LeanError
    /// The `Idempotency-Key` the call sent, if it carried one.
    public var idempotencyKey: String? { report.idempotencyKey }
    /// The caller-chosen ids the call sent, by wire name.
    public var sentIds: [String: String] { report.sentIds }

    public var description: String { "LeanCancellationError: \(report.message)" }
}

/// Whether `error`, thrown while a call was in flight, is the task's cancellation: the SDK
/// then ends the call and throws `LeanCancellationError`, never reporting it as a failure the
/// engine could retry.
func isCancellation(_ error: Error) -> Bool {
    error is CancellationError || Task.isCancelled
}

/// The transport's failure as the engine takes it: a custom transport's own error is a
/// failure of kind `.other` (the engine decides whether the attempt may have been applied).
func transportFailure(_ error: Error) -> (TransportErrorKind, String) {
    guard let failure = error as? TransportFailure else { return (.other, "\(error)") }
    let kind: TransportErrorKind = switch failure.kind {
    case .connect: .connect
    case .timeout: .timeout
    case .other: .other
    }
    return (kind, failure.message)
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
