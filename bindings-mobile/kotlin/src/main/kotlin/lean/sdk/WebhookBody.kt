package lean.sdk

import java.io.InputStream

/**
 * Reads a webhook's raw body from a server's request stream, with a bound: a webhook endpoint
 * is open to anyone, and an unbounded read lets any caller make the process buffer as much as
 * it sends. Payouts and open-banking events are a few KiB; the default limit is 1 MiB.
 */
object WebhookBody {
    /** The default limit: far above any Lean webhook, far below what would hurt a server. */
    const val DEFAULT_LIMIT_BYTES: Int = 1 shl 20

    /**
     * The body of [input], at most [limitBytes] bytes. [declaredLength] is the request's
     * `Content-Length` (null or negative when absent): a larger one is refused before anything
     * is read. Throws [WebhookBodyTooLargeException] (answer its [WebhookBodyTooLargeException.status],
     * 413) as soon as the body passes the limit, having read at most one byte past it.
     * The stream is not closed.
     */
    @JvmStatic
    @JvmOverloads
    fun read(input: InputStream, declaredLength: Long? = null, limitBytes: Int = DEFAULT_LIMIT_BYTES): ByteArray {
        require(limitBytes in 0 until Int.MAX_VALUE - 8) { "limitBytes must be between 0 and 2 GiB" }
        if (declaredLength != null && declaredLength > limitBytes) throw WebhookBodyTooLargeException(limitBytes)
        // One byte more than the limit fits: reading it is how a body over the limit shows.
        val known = if (declaredLength != null && declaredLength >= 0) declaredLength.toInt() + 1 else 8192
        var buffer = ByteArray(minOf(limitBytes + 1, known))
        var size = 0
        while (true) {
            if (size == buffer.size) {
                if (size > limitBytes) throw WebhookBodyTooLargeException(limitBytes)
                buffer = buffer.copyOf(minOf(limitBytes + 1, maxOf(size * 2, 8192)))
            }
            val n = input.read(buffer, size, buffer.size - size)
            if (n < 0) break
            size += n
            if (size > limitBytes) throw WebhookBodyTooLargeException(limitBytes)
        }
        return buffer.copyOf(size)
    }
}

/**
 * A webhook body over the reader's limit (by its `Content-Length`, or by what arrived):
 * answer HTTP [status] (413). Nothing past the limit was kept.
 */
class WebhookBodyTooLargeException internal constructor(
    /** The limit that was exceeded, in bytes. */
    val limitBytes: Int,
) : LeanException(
    "payload_too_large",
    "the webhook body is larger than $limitBytes bytes; Lean's webhooks are far smaller " +
        "(raise limitBytes if yours are not), so answer 413",
) {
    /** The status to answer: 413 Content Too Large. */
    val status: Int get() = 413
}
