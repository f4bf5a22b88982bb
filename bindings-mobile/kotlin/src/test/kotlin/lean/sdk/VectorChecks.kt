package lean.sdk

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail

/**
 * Checks a thrown error against a vector's `error` object (`tests/vectors/README.md`): its
 * code, and each detail the vector names. Both APIs' vector suites use it.
 */
internal fun checkError(error: Throwable, want: JSONObject) {
    // An interrupted call rethrows its cancellation, carrying the error that reports it.
    val e = (error as? java.util.concurrent.CancellationException)?.let { it.interruptedCall ?: throw AssertionError("a cancellation without its report", it) }
        ?: error as? LeanException ?: throw AssertionError("not a LeanException: $error", error)
    assertEquals(want.getString("code"), e.code, "code of ${e.message}")
    assertFalse(e.message.isNullOrBlank())
    if (want.has("status")) {
        val status = when (e) {
            is ApiException -> e.status
            is InvalidResponseException -> e.status
            is RedirectException -> e.status
            else -> fail("no status on $e")
        }
        assertEquals(want.getInt("status"), status)
    }
    if (want.has("location")) {
        assertEquals(want.opt("location").takeIf { it != JSONObject.NULL }, (e as RedirectException).location)
    }
    if (want.has("applied")) assertEquals(want.getBoolean("applied"), (e as InvalidResponseException).applied)
    val key = (e as? TransportException)?.idempotencyKey ?: (e as? InvalidResponseException)?.idempotencyKey
    if (want.has("idempotencyKey")) assertEquals(want.opt("idempotencyKey").takeIf { it != JSONObject.NULL }, key)
    want.optJSONObject("sentIds")?.let { ids ->
        val sent = (e as? TransportException)?.sentIds ?: (e as? InvalidResponseException)?.sentIds
        assertEquals(ids.toMap(), sent)
    }
    if (want.has("message")) assertEquals(want.getString("message"), (e as ApiException).apiMessage)
    if (want.has("apiCode")) assertEquals(want.opt("apiCode").takeIf { it != JSONObject.NULL }, (e as ApiException).apiCode)
    if (want.has("requestId")) assertEquals(want.opt("requestId").takeIf { it != JSONObject.NULL }, (e as ApiException).requestId)
    if (want.has("retryAfterMs")) {
        val expected = if (want.isNull("retryAfterMs")) null else want.getLong("retryAfterMs")
        assertEquals(expected, (e as ApiException).retryAfterMillis)
    }
    if (want.has("outcomeUnknown")) assertEquals(want.getBoolean("outcomeUnknown"), (e as TransportException).outcomeUnknown)
    want.optJSONArray("fieldErrors")?.let { fields ->
        val expected = (0 until fields.length()).map { fields.getJSONObject(it).let { f -> f.getString("field") to f.getString("code") } }.toSet()
        assertEquals(expected, e.fieldErrors.map { it.field to it.code }.toSet())
        assertTrue(e.fieldErrors.all { it.message.isNotBlank() }, "every field error has a message")
    }
}
