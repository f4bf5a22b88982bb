package lean.sdk.openbanking

import lean.sdk.native
import lean.sdk.ffi.NativeObWebhookVerifier
import lean.sdk.ffi.core.ObAccountDataStatus
import lean.sdk.ffi.core.ObBankAvailability
import lean.sdk.ffi.core.ObDataRefresh
import lean.sdk.ffi.core.ObPaymentIntentCreated
import lean.sdk.ffi.core.ObPaymentSource
import lean.sdk.ffi.core.ObServices
import lean.sdk.ffi.ObWebhookEvent
import lean.sdk.ffi.core.ObOutcome
import lean.sdk.ffi.ObWebhookPayload
import lean.sdk.ffi.obJson
import lean.sdk.ffi.obPayloadJson
import lean.sdk.ffi.obSignWebhook
import lean.sdk.ffi.obWebhookAcknowledgeStatus
import lean.sdk.ffi.obWebhookRetryMinutes

/** The payload of `payment_intent.created`: the intent's id is [ObPaymentIntentCreated.intentId], its amount exact. */
typealias PaymentIntentCreated = ObPaymentIntentCreated

/** The payload of `payment_source.created` and `payment_source.beneficiary.created`. */
typealias PaymentSource = ObPaymentSource

/** The payload of `entity.data.refresh.updated`: what a refresh could read, `OK` or `UNSUPPORTED` each. */
typealias DataRefresh = ObDataRefresh

/** One account of a [DataRefresh]. */
typealias AccountDataStatus = ObAccountDataStatus

/** The payload of `bank.availability.updated` (KSA): what is turned on (`enabled`) and working (`active`). */
typealias BankAvailability = ObBankAvailability

/** Payments and data of a [BankAvailability], each on or off. */
typealias BankServices = ObServices

/** The refresh in the API's JSON shape, unknown fields included (the core writes it). */
val ObDataRefresh.json: String get() = obJson(ObOutcome.DataRefresh(this))
/** The account list: `OK` or `UNSUPPORTED`. */
val ObDataRefresh.accounts: String? get() = dataStatus?.accounts
/** Identity: `OK` or `UNSUPPORTED`. */
val ObDataRefresh.identity: String? get() = dataStatus?.identity
/** Per account. */
val ObDataRefresh.accountData: List<ObAccountDataStatus> get() = dataStatus?.accountData ?: emptyList()
/** What works now. */
val ObBankAvailability.active: ObServices? get() = availability?.active
/** What is turned on for the application. */
val ObBankAvailability.enabled: ObServices? get() = availability?.enabled
/** The payload in the API's JSON shape, unknown fields included. */
val ObPaymentIntentCreated.json: String get() = obPayloadJson(ObWebhookPayload.PaymentIntent(this))
/** The payload in the API's JSON shape, unknown fields included. */
val ObPaymentSource.json: String get() = obPayloadJson(ObWebhookPayload.PaymentSource(this))
/** The payload in the API's JSON shape, unknown fields included. */
val ObBankAvailability.json: String get() = obPayloadJson(ObWebhookPayload.BankAvailability(this))

/**
 * A verified open-banking webhook. De-duplicate on [eventId]: Lean sends the same event again
 * (same id) until a receiver answers HTTP 200.
 */
data class OpenBankingEvent(
    /** `results.ready`, `entity.created`, ..., or a type this SDK does not know, as sent. */
    val type: String,
    val eventId: String?,
    val message: String?,
    val timestamp: String?,
    /** For `results.ready`: pass it to [OpenBankingClient.getDataResults]. */
    val resultsId: String?,
    /** For `entity.created`: the entity. */
    val entity: Entity?,
    /** For `payment.created` and `payment.updated`: the payment (exact amount, status as sent). */
    val payment: Payment?,
    /** For `payment_intent.created`. */
    val paymentIntent: PaymentIntentCreated?,
    /** For `payment_source.created` and `payment_source.beneficiary.created`. */
    val paymentSource: PaymentSource?,
    /** For `entity.data.refresh.updated`. */
    val dataRefresh: DataRefresh?,
    /** For `bank.availability.updated`. */
    val bankAvailability: BankAvailability?,
    /** The payload as JSON text. */
    val payloadJson: String,
    /** The whole envelope as JSON text. */
    val json: String,
) {
    internal constructor(e: ObWebhookEvent) : this(
        e.eventType, e.eventId, e.message, e.timestamp, e.resultsId, e.entity, e.payment, e.paymentIntent,
        e.paymentSource, e.dataRefresh, e.bankAvailability, e.payloadJson, e.json,
    )
}

/**
 * Open-banking webhooks: `lean-signature: sha512=<digest>`, an HMAC-SHA512 of the **raw body**
 * with the webhook secret (hex or base64 digest), checked in constant time.
 *
 * A receiver must answer **HTTP 200** to every webhook it accepts, quickly, and do its work
 * afterwards: Lean retries anything else after 1, 2, 5, 10, 60 and 180 minutes ([RETRY_MINUTES]).
 * [Verifier.receive] does both: it verifies, hands the event over, and returns the status to
 * answer.
 */
object OpenBankingWebhooks {
    /** The header carrying the signature. */
    const val SIGNATURE_HEADER = "lean-signature"

    /** What a receiver answers every webhook it accepted (duplicates included). */
    @JvmField val ACKNOWLEDGE_STATUS: Int = obWebhookAcknowledgeStatus().toInt()

    /** What a receiver answers a body whose signature does not verify: not 200, so Lean retries. */
    const val REJECT_STATUS = 401

    /** What a receiver answers a body over its limit (see [Verifier.receive] with a stream). */
    const val TOO_LARGE_STATUS = 413

    /** Minutes after which Lean retries a webhook not answered 200. */
    @JvmField val RETRY_MINUTES: List<Long> = obWebhookRetryMinutes().map { it.toLong() }

    /**
     * A verifier for one or more webhook secrets (pass the old and the new one while you
     * rotate). Build it once and reuse it.
     */
    @JvmStatic
    fun verifier(vararg secrets: String): Verifier = Verifier(secrets.map { it.toByteArray(Charsets.UTF_8) })

    /** Verifies and parses webhooks; holds the prepared keys, never shows them. */
    class Verifier internal constructor(secrets: List<ByteArray>) {
        private val native = native { NativeObWebhookVerifier(secrets) }

        /**
         * Checks [signature] (the `lean-signature` header, `null` when absent) against the raw
         * [body] as received; throws [lean.sdk.WebhookSignatureException] otherwise.
         */
        @Throws(lean.sdk.LeanException::class)
        fun verify(body: ByteArray, signature: String?) = native { native.verify(body, signature) }

        /** Verifies, then parses the body into an [OpenBankingEvent] (unknown types kept). */
        @Throws(lean.sdk.LeanException::class)
        fun constructEvent(body: ByteArray, signature: String?): OpenBankingEvent =
            OpenBankingEvent(native { native.constructEvent(body, signature) })

        /**
         * For a webhook endpoint: verifies the raw [body], passes the event to [onEvent] and
         * returns the status to answer: [ACKNOWLEDGE_STATUS] (200) when verified, so that Lean
         * stops retrying, or [REJECT_STATUS] when the signature is wrong. [onEvent] should only
         * record the event (de-duplicating on `eventId`); if it throws, nothing is answered
         * 200 and Lean delivers the event again.
         */
        fun receive(body: ByteArray, signature: String?, onEvent: (OpenBankingEvent) -> Unit): Int {
            val event = try {
                constructEvent(body, signature)
            } catch (e: lean.sdk.WebhookSignatureException) {
                return REJECT_STATUS
            }
            onEvent(event)
            return ACKNOWLEDGE_STATUS
        }

        /**
         * [receive] for a body still in the server's request stream: reads at most
         * [limitBytes] of it ([lean.sdk.WebhookBody.read], refusing a larger [declaredLength]
         * first) and answers [TOO_LARGE_STATUS] (413) past the limit, without calling [onEvent].
         */
        @JvmOverloads
        fun receive(
            body: java.io.InputStream,
            declaredLength: Long?,
            signature: String?,
            limitBytes: Int = lean.sdk.WebhookBody.DEFAULT_LIMIT_BYTES,
            onEvent: (OpenBankingEvent) -> Unit,
        ): Int {
            val bytes = try {
                lean.sdk.WebhookBody.read(body, declaredLength, limitBytes)
            } catch (e: lean.sdk.WebhookBodyTooLargeException) {
                return TOO_LARGE_STATUS
            }
            return receive(bytes, signature, onEvent)
        }

        override fun toString() = "OpenBankingWebhooks.Verifier(<secrets redacted>)"
    }

    /** The signature Lean would send for [body] under [secret], for tests of receivers. */
    @JvmStatic
    fun sign(secret: String, body: ByteArray): String = native { obSignWebhook(secret.toByteArray(Charsets.UTF_8), body) }
}
