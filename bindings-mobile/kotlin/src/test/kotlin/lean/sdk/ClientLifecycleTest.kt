package lean.sdk

import java.math.BigDecimal
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The client, validation and webhook verification over the generated layer: panics are
 * catchable, closed objects are refused, and every way a call can end is reported. */
class ClientLifecycleTest {
    private val gig = NewGig("uid_1", BigDecimal("15.00"), BigDecimal("3.00"), BigDecimal("2.00"), "Gig", "g1", "2021-03-01T21:04:04", "2021-03-01T21:31:05")
    private val gigJson = """{"gigId":"g1","partnerUserId":"uid_1","totalAmount":"15.00","tips":"3.00","expenses":"2.00",
        |"description":"Gig","startTime":"2021-03-01T21:04:04","endTime":"2021-03-01T21:31:05","status":"PENDING"}""".trimMargin()

    @Test
    fun `a Rust panic is a catchable InternalException`() {
        val e = assertThrows<InternalException> { native { lean.sdk.ffi.panicForTests("deliberate") } }
        assertEquals("internal", e.code)
        assertTrue(e.message!!.contains("deliberate"), e.message)
        // The library is still usable after the panic.
        validate(gig)
        Webhooks.verifier("s").use { it.verify("{}".toByteArray(), Webhooks.sign("s", "{}")) }
    }

    @Test
    fun `a closed verifier or client is refused, never used`() {
        val body = "{}".toByteArray()
        val signature = Webhooks.sign("s", body)
        val verifier = Webhooks.verifier("s")
        verifier.verify(body, signature)
        verifier.close()
        assertThrows<IllegalStateException> { verifier.verify(body, signature) }

        val client = LeanClient("key", transport = { _, _ -> error("nothing may be sent") })
        client.close()
        assertThrows<IllegalStateException> { runBlocking { client.createGig(gig) } }
    }

    @Test
    fun `every way a call ends is reported as its own error`() = runBlocking {
        var reply: suspend () -> HttpResponse = { HttpResponse(201, listOf("content-type" to "application/json"), gigJson.toByteArray()) }
        val client = LeanClient("key", baseUrl = "http://127.0.0.1:9/api", transport = { _, _ -> reply() }, maxRetries = 0)

        assertEquals("g1", client.createGig(gig).gigId)
        assertThrows<ValidationException> { runBlocking { client.createGig(gig.copy(tips = BigDecimal("1.999"))) } }
        reply = { HttpResponse(404, emptyList(), """{"message":"no such gig"}""".toByteArray()) }
        assertThrows<NotFoundException> { runBlocking { client.getGig("g2") } }
        reply = { throw TransportFailure(TransportFailureKind.CONNECT, "refused") }
        assertThrows<TransportException> { runBlocking { client.listGigs() } }
        reply = { throw IllegalArgumentException("a bug in the transport") }
        assertThrows<TransportException> { runBlocking { client.getGig("g3") } }
        reply = { CompletableDeferred<HttpResponse>().await() }
        val timedOut = assertThrows<TimeoutCancellationException> { runBlocking { withTimeout(50) { client.getGig("g4") } } }
        assertTrue(timedOut.interruptedCall != null, "the cancellation does not say what was sent")
        // Any status the transport can express is the core's to classify (700 is retried like a
        // server error, then reported); a number no response can carry is refused where it is made.
        reply = { HttpResponse(700, emptyList(), ByteArray(0)) }
        assertThrows<OtherApiException> { runBlocking { client.getGig("g5") } }
        assertThrows<IllegalArgumentException> { HttpResponse(70_000, emptyList(), ByteArray(0)) }
        client.close()
    }
}
