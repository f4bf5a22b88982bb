package lean.sdk

import java.io.InputStream
import lean.sdk.openbanking.OpenBankingWebhooks
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Reading a webhook body from a request stream stops at the limit and says "413". */
class WebhookBodyTest {
    /** An endless body that counts what was read from it. */
    private class Endless : InputStream() {
        var read = 0L
        override fun read(): Int = 'x'.code.also { read++ }
        override fun read(b: ByteArray, off: Int, len: Int): Int {
            b.fill('x'.code.toByte(), off, off + len)
            read += len
            return len
        }
    }

    @Test
    fun `a body past the limit is refused having read at most one byte more`() {
        val body = Endless()
        val e = assertThrows<WebhookBodyTooLargeException> { WebhookBody.read(body) }
        assertEquals(413, e.status)
        assertEquals("payload_too_large", e.code)
        assertTrue(body.read <= WebhookBody.DEFAULT_LIMIT_BYTES + 1L, "read ${body.read} bytes")
        val small = Endless()
        assertThrows<WebhookBodyTooLargeException> { WebhookBody.read(small, limitBytes = 10) }
        assertTrue(small.read <= 11, "read ${small.read} bytes")
    }

    @Test
    fun `a declared length over the limit is refused before reading`() {
        val body = Endless()
        assertThrows<WebhookBodyTooLargeException> { WebhookBody.read(body, declaredLength = 64L shl 20) }
        assertEquals(0, body.read)
        val status = OpenBankingWebhooks.verifier("whsec_x").receive(Endless(), 2L shl 20, "sha512=00") { error("no event") }
        assertEquals(OpenBankingWebhooks.TOO_LARGE_STATUS, status)
    }

    @Test
    fun `a body within the limit is read whole and verified`() {
        val payload = """{"event":"gig.completed","data":{"gigId":"g1","status":"SUCCESS"}}""".toByteArray()
        val signature = Webhooks.sign("whsec_k", payload)
        assertArrayEquals(payload, WebhookBody.read(payload.inputStream(), payload.size.toLong(), limitBytes = payload.size))
        assertArrayEquals(payload, WebhookBody.read(payload.inputStream()))
        val event = Webhooks.verifier("whsec_k").use { it.constructEvent(payload.inputStream(), null, signature) }
        assertEquals("gig.completed", event.event)
        // Payouts webhooks carry no id: the core's key is what a handler skips repeats by.
        assertEquals("gig.completed:g1:SUCCESS", event.dedupKey)
    }
}
