package lean.sdk

import lean.sdk.ffi.NativeWebhookVerifier as NativeVerifier

/**
 * Webhook signatures (HMAC-SHA1 of the raw body in `x-lean-signature`). Verify the body bytes
 * exactly as received, before parsing them; comparison is constant-time. Several secrets may
 * be given during a rotation.
 */
object Webhooks {
    /** The name of the header carrying the signature. */
    const val SIGNATURE_HEADER = "x-lean-signature"

    /** The signature Lean would send for [payload]: for testing your webhook handler. */
    @JvmStatic
    fun sign(secret: String, payload: ByteArray): String = native {
        lean.sdk.ffi.signWebhook(secret.toByteArray(Charsets.UTF_8), payload)
    }

    /** [sign] for a text body (its UTF-8 bytes). */
    @JvmStatic
    fun sign(secret: String, payload: String): String = sign(secret, payload.toByteArray(Charsets.UTF_8))

    /** Throws a [WebhookSignatureException] unless [signature] matches [payload] under one of [secrets]. */
    @JvmStatic
    @Throws(LeanException::class)
    fun verify(payload: ByteArray, signature: String?, vararg secrets: String) =
        verifier(*secrets).use { it.verify(payload, signature) }

    /** Verifies, then parses the body into a typed [WebhookEvent]. */
    @JvmStatic
    @Throws(LeanException::class)
    fun constructEvent(payload: ByteArray, signature: String?, vararg secrets: String): WebhookEvent =
        verifier(*secrets).use { it.constructEvent(payload, signature) }

    /** A reusable verifier: build it once at start-up, so each secret's key is prepared once. */
    @JvmStatic
    fun verifier(vararg secrets: String): Verifier =
        Verifier(native { NativeVerifier(secrets.map { it.toByteArray(Charsets.UTF_8) }) })

    /** Verifies webhooks against fixed secrets; safe to share between threads. */
    class Verifier internal constructor(private val inner: NativeVerifier) : AutoCloseable {
        /** Throws a [WebhookSignatureException] unless [signature] matches the raw [payload]. */
        @Throws(LeanException::class)
        fun verify(payload: ByteArray, signature: String?) = native { inner.verify(payload, signature) }

        /**
         * Verifies, then parses the body into a typed [WebhookEvent]. Payouts webhooks carry no
         * id or timestamp, and Lean may deliver one again: skip an event whose
         * [WebhookEvent.dedupKey] you have already handled.
         */
        @Throws(LeanException::class)
        fun constructEvent(payload: ByteArray, signature: String?): WebhookEvent =
            native { inner.constructEvent(payload, signature) }

        /**
         * [constructEvent] for a body still in the server's request stream: reads at most
         * [limitBytes] ([WebhookBody.read]: a larger [declaredLength] is refused first) and
         * throws [WebhookBodyTooLargeException] (answer 413) past it.
         */
        @JvmOverloads
        @Throws(LeanException::class)
        fun constructEvent(
            body: java.io.InputStream,
            declaredLength: Long?,
            signature: String?,
            limitBytes: Int = WebhookBody.DEFAULT_LIMIT_BYTES,
        ): WebhookEvent = constructEvent(WebhookBody.read(body, declaredLength, limitBytes), signature)

        /** Never shows the secrets. */
        override fun toString() = "Webhooks.Verifier(<redacted>)"

        /** Frees the verifier; using it afterwards throws [IllegalStateException]. */
        override fun close() = inner.close()
    }
}
