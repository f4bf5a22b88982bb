@file:JvmName("LeanErrors")

package lean.sdk

import lean.sdk.ffi.ErrorDetails
import lean.sdk.ffi.FfiException

/** One refused input field: [field] is the API's wire name (`firstName`), [code] a stable reason. */
typealias FieldError = lean.sdk.ffi.FieldError

/**
 * Every failure of the SDK. [code] is the same stable machine code in every language
 * (`validation`, `not_found`, `transport`, `signature_mismatch`...), so handlers can switch
 * on it; the subclasses carry the details that belong to each kind. Messages never contain
 * the API key or a webhook secret.
 */
sealed class LeanException(
    /** The stable machine code. */
    val code: String,
    message: String,
    /** Every failing field (validation), or the field errors an API 400 listed. */
    val fieldErrors: List<FieldError> = emptyList(),
) : Exception(message) {
    /**
     * Every attempt of the call that failed, in order: each status and request id to quote
     * to Lean's support. Empty when nothing was sent (validation, configuration, webhooks).
     */
    var attempts: List<Attempt> = emptyList()
        internal set
}

/**
 * What a call cancelled mid-flight had sent, or null when this is not such a cancellation.
 * The SDK rethrows the coroutine's own cancellation (never swallows or replaces it, so
 * `withTimeout` and structured concurrency behave as usual) with this [TransportException]
 * attached as a suppressed exception: whether an attempt may have been applied
 * ([TransportException.outcomeUnknown]), the [TransportException.idempotencyKey] and the
 * [TransportException.sentIds]. Log them before giving up: a later retry must reuse them.
 * From Java: `LeanErrors.interruptedCall(e)`.
 */
@get:JvmName("interruptedCall")
val Throwable.interruptedCall: TransportException?
    get() = generateSequence(this) { it.cause }.take(8)
        .flatMap { sequenceOf(it) + it.suppressed.asSequence() }
        .filterIsInstance<TransportException>()
        .firstOrNull()

/** The input was refused before anything was sent; [fieldErrors] lists every failing field. */
class ValidationException internal constructor(message: String, fieldErrors: List<FieldError>) :
    LeanException("validation", message, fieldErrors)

/** The client is set up wrongly: key, base URL, or an operation the environment lacks. */
class ConfigurationException internal constructor(message: String) : LeanException("configuration", message)

/**
 * The API answered with a non-2xx status after any retries. Subclasses name the statuses a
 * caller handles differently; [body] is kept raw for support tickets, with [requestId].
 */
open class ApiException internal constructor(
    code: String,
    message: String,
    fieldErrors: List<FieldError>,
    /** The HTTP status. */
    val status: Int,
    /** The API's own message, or a description of the status. */
    val apiMessage: String,
    /** The raw response body. */
    val body: String,
    /** The answer's request id header, if any. */
    val requestId: String?,
    /** How long the API asked the client to wait, if it did. */
    val retryAfterMillis: Long?,
    /**
     * The API's own error code when its body carried one (open banking:
     * `CUSTOMER_ALREADY_EXISTS`, `INVALID_PARAMETERS`, `FAILED` for a failed data answer).
     */
    val apiCode: String? = null,
    /**
     * Open banking: why the bank could not provide the data, on a `FAILED` data answer
     * (`granular_status_code`, e.g. `CONSENT_EXPIRED`), so that a program can tell a consent to
     * renew from a bank that is down.
     */
    val granularStatusCode: String? = null,
) : LeanException(code, message, fieldErrors) {
    internal constructor(d: ErrorDetails) : this(
        d.code, d.message, d.fieldErrors, d.status?.toInt() ?: 0, d.apiMessage ?: d.message,
        d.body ?: "", d.requestId, d.retryAfterMs?.toLong(), d.apiCode, d.granularStatusCode,
    )
}

/** 400: the API refused the input; never retried. */
class BadRequestException internal constructor(d: ErrorDetails) : ApiException(d)
/** 401: the API key was refused (production keys work only from allow-listed addresses). */
class UnauthorizedException internal constructor(d: ErrorDetails) : ApiException(d)
/** 404: no such customer, gig or payment. */
class NotFoundException internal constructor(d: ErrorDetails) : ApiException(d)
/** 429 after every retry the policy allowed. */
class RateLimitedException internal constructor(d: ErrorDetails) : ApiException(d)
/** 503 after every retry. */
class ServiceUnavailableException internal constructor(d: ErrorDetails) : ApiException(d)
/** Another 5xx after every retry. */
class ServerException internal constructor(d: ErrorDetails) : ApiException(d)
/** Any other status (code `api_error`). */
class OtherApiException internal constructor(d: ErrorDetails) : ApiException(d)

/**
 * The transport failed on every attempt, or the call was interrupted (cancelled, or its
 * transport threw). When [outcomeUnknown] is true an attempt may have reached the API: for a
 * payout, look it up by [sentIds] (or retry with the same [idempotencyKey]) before paying
 * again; a fresh key could pay twice.
 */
class TransportException internal constructor(
    message: String,
    /** True when an attempt may have reached the API and been applied. */
    val outcomeUnknown: Boolean,
    /** The `Idempotency-Key` the call sent, if it carried one: retry with this one. */
    val idempotencyKey: String? = null,
    /** The caller-chosen ids the call sent, by wire name (`gigId`, `app_user_id`). */
    val sentIds: Map<String, String> = emptyMap(),
) : LeanException("transport", message)

/**
 * A 2xx answer whose body is not what the API documents; [body] is kept raw. When [applied]
 * is true the operation was not a read, so the API applied it: do not send it again with a
 * fresh key; the [idempotencyKey] and [sentIds] it carried find the record.
 */
class InvalidResponseException internal constructor(
    message: String,
    /** The HTTP status of the answer. */
    val status: Int,
    /** The raw body. */
    val body: String,
    /** True when the API answered 2xx to an operation that changes something. */
    val applied: Boolean = false,
    /** The `Idempotency-Key` the call sent, if it carried one. */
    val idempotencyKey: String? = null,
    /** The caller-chosen ids the call sent, by wire name. */
    val sentIds: Map<String, String> = emptyMap(),
) : LeanException("invalid_response", message)

/**
 * The API answered with a redirect (3xx). The SDK never follows one, so credentials never
 * leave the configured origin; [location] says where it pointed (check the base URL).
 */
class RedirectException internal constructor(
    message: String,
    /** The 3xx status. */
    val status: Int,
    /** The answer's `Location` header, if it had one. */
    val location: String?,
) : LeanException("redirect", message)

/** A retried create found a different record under the same id: the id was reused. */
class ConflictException internal constructor(message: String) : LeanException("conflict", message)

/** A webhook signature is missing, malformed, or does not match; [code] says which. */
class WebhookSignatureException internal constructor(code: String, message: String) : LeanException(code, message)

/** A verified webhook body is not a valid `{"event", "data"}` envelope. */
class WebhookPayloadException internal constructor(message: String) : LeanException("invalid_payload", message)

/** A bug in the SDK (a caught Rust panic included), never the caller's input. */
class InternalException internal constructor(message: String) : LeanException("internal", message)

/** Turns the boundary's error into the exception of its code: the one conversion point. */
internal fun ErrorDetails.toException(): LeanException = exceptionOfCode().also { e ->
    e.attempts = attempts.map { it.toAttempt() }
}

private fun ErrorDetails.exceptionOfCode(): LeanException = when (code) {
    "validation" -> ValidationException(message, fieldErrors)
    "configuration" -> ConfigurationException(message)
    "bad_request" -> BadRequestException(this)
    "unauthorized" -> UnauthorizedException(this)
    "not_found" -> NotFoundException(this)
    "rate_limited" -> RateLimitedException(this)
    "service_unavailable" -> ServiceUnavailableException(this)
    "server_error" -> ServerException(this)
    "api_error" -> OtherApiException(this)
    "transport" -> TransportException(message, outcomeUnknown, idempotencyKey, sentIds)
    "invalid_response" ->
        InvalidResponseException(message, status?.toInt() ?: 0, body ?: "", applied, idempotencyKey, sentIds)
    "redirect" -> RedirectException(message, status?.toInt() ?: 0, location)
    "conflict" -> ConflictException(message)
    "signature_missing", "signature_malformed", "signature_mismatch" -> WebhookSignatureException(code, message)
    "invalid_payload" -> WebhookPayloadException(message)
    else -> InternalException(message)
}

/** Runs a call into the native library, rethrowing its errors as [LeanException]s. */
internal inline fun <T> native(block: () -> T): T = try {
    block()
} catch (e: FfiException.Failed) {
    throw e.details.toException()
} catch (e: lean.sdk.ffi.InternalException) {
    throw InternalException("internal error in lean-sdk (please report it): ${e.message}")
}
