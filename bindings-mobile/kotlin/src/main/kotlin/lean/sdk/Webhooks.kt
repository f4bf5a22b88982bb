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
    fun sign(secret: String, payload: ByteArray): String = native {
        lean.sdk.ffi.signWebhook(secret.toByteArray(Charsets.UTF_8), payload)
    }

    /** [sign] for a text body (its UTF-8 bytes). */
    fun sign(secret: String, payload: String): String = sign(secret, payload.toByteArray(Charsets.UTF_8))

    /** Throws a [WebhookSignatureException] unless [signature] matches [payload] under one of [secrets]. */
    fun verify(payload: ByteArray, signature: String?, vararg secrets: String) =
        verifier(*secrets).use { it.verify(payload, signature) }

    /** Verifies, then parses the body into a typed [WebhookEvent]. */
    fun constructEvent(payload: ByteArray, signature: String?, vararg secrets: String): WebhookEvent =
        verifier(*secrets).use { it.constructEvent(payload, signature) }

    /** A reusable verifier: build it once at start-up, so each secret's key is prepared once. */
    fun verifier(vararg secrets: String): Verifier =
        Verifier(native { NativeVerifier(secrets.map { it.toByteArray(Charsets.UTF_8) }) })

    /**
     * Verifies webhooks against fixed secrets; safe to share between threads. [verify] takes a
     * direct native call (no per-call JNA structures); errors are then described through the
     * generated binding.
     */
    class Verifier internal constructor(private val inner: NativeVerifier) : AutoCloseable {
        private val lock = java.util.concurrent.locks.ReentrantReadWriteLock()
        private var handle: Long = inner.fastHandle().toLong()

        /** Throws a [WebhookSignatureException] unless [signature] matches the raw [payload]. */
        fun verify(payload: ByteArray, signature: String?) {
            val sig = signature?.toByteArray(Charsets.UTF_8)
            val result = lock.readLock().run {
                lock()
                try {
                    check(handle != 0L) { "the webhook verifier is closed" }
                    FastPath.lean_sdk_fast_verify(handle, payload, payload.size, sig ?: EMPTY, sig?.size ?: -1)
                } finally {
                    unlock()
                }
            }
            if (result != 0) native { inner.verify(payload, signature) }
        }

        /** Verifies, then parses the body into a typed [WebhookEvent]. */
        fun constructEvent(payload: ByteArray, signature: String?): WebhookEvent =
            native { inner.constructEvent(payload, signature) }

        /** Never shows the secrets. */
        override fun toString() = "Webhooks.Verifier(<redacted>)"

        override fun close() {
            lock.writeLock().run {
                lock()
                try {
                    if (handle != 0L) FastPath.lean_sdk_fast_release(handle)
                    handle = 0L
                } finally {
                    unlock()
                }
            }
            inner.close()
        }
    }

    private val EMPTY = ByteArray(0)
}

/**
 * JNA direct mapping of the library's plain C entry points for the hot paths (webhook
 * verification, form validation): no per-call JNA structures, unlike the generated calls.
 */
@Suppress("FunctionName")
internal object FastPath {
    init {
        com.sun.jna.Native.register(FastPath::class.java, "lean_sdk_mobile")
    }

    /** 0 when the host-neutral call JSON is valid, 1 when not, -1 on a failure. */
    external fun lean_sdk_fast_check(callJson: ByteArray, len: Int): Int

    external fun lean_sdk_fast_verify(handle: Long, payload: ByteArray, payloadLen: Int, signature: ByteArray, signatureLen: Int): Int

    external fun lean_sdk_fast_release(handle: Long)
}
