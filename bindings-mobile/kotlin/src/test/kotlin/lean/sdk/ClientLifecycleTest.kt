package lean.sdk

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import lean.sdk.ffi.FfiConverterOptionalString
import lean.sdk.ffi.FfiConverterTypeCustomerUpdate
import lean.sdk.ffi.FfiConverterTypeNewCustomer
import lean.sdk.ffi.FfiConverterTypeNewGig
import lean.sdk.ffi.FfiConverterTypeNewSpecialPayment
import lean.sdk.ffi.FfiConverterTypeNativeRequest
import lean.sdk.ffi.NativeHeader
import lean.sdk.ffi.NativeRequest
import lean.sdk.ffi.NativeWebhookVerifier
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The JNI entry points behind the client, validation and webhook verification: panics are
 * catchable, released handles are refused, and no call leaves a handle behind.
 */
class DirectCallsTest {
    private val gig = NewGig("uid_1", "15.00", "3.00", "2.00", "Gig", "g1", "2021-03-01T21:04:04", "2021-03-01T21:31:05")
    private val gigJson = """{"gigId":"g1","partnerUserId":"uid_1","totalAmount":"15.00","tips":"3.00","expenses":"2.00",
        |"description":"Gig","startTime":"2021-03-01T21:04:04","endTime":"2021-03-01T21:31:05","status":"PENDING"}""".trimMargin()

    @Test
    fun `inputs are written exactly as the generated converters write them`() {
        fun same(expected: ByteArray, written: Args) =
            assertArrayEquals(Args("op").bytes() + expected, written.bytes())
        val odd = "Zoë 🚀 \"quoted\" \\ tab\t"
        same(FfiConverterTypeNewGig.encode(gig.copy(description = odd)), Args("op").record(gig.copy(description = odd)))
        // Longer than the first buffer, ASCII and not.
        for (long in listOf("a".repeat(300), "é".repeat(300), "a".repeat(200) + "é".repeat(100))) {
            same(FfiConverterTypeNewGig.encode(gig.copy(description = long)), Args("op").record(gig.copy(description = long)))
        }
        val jane = NewCustomer(firstName = odd, lastName = "Doe", birthday = "1980-12-31", phoneNumber = "4085008000",
            email = "jane@example.com", street = "700 Treehouse Drive", city = "San Jose", state = "CA",
            postalCode = "95101", partnerUserId = "uid_1", registrationDate = "2020-01-01")
        same(FfiConverterTypeNewCustomer.encode(jane), Args("op").record(jane))
        same(FfiConverterTypeNewCustomer.encode(jane.copy(middleName = "", street2 = "Apt 1")),
            Args("op").record(jane.copy(middleName = "", street2 = "Apt 1")))
        val update = CustomerUpdate(city = "Cupertino", street2 = odd)
        same(FfiConverterTypeCustomerUpdate.encode(update), Args("op").record(update))
        val payment = NewSpecialPayment(partnerUserId = "uid_1", amount = "4.56", paymentType = "bonus", userdataJson = "{}")
        same(FfiConverterTypeNewSpecialPayment.encode(payment), Args("op").record(payment))
        same(FfiConverterOptionalString.encode(null) + FfiConverterOptionalString.encode(odd), Args("op").optional(null).optional(odd))
    }

    @Test
    fun `requests are read as the generated converter writes them`() {
        for (body in listOf(null, "", "{\"description\":\"Zoë 🚀\"}")) {
            val request = NativeRequest("POST", "http://127.0.0.1:9/api/gig/é%20", listOf(
                NativeHeader("authorization", "Basic a2V5Og=="), NativeHeader("x-ü", "")), body)
            val read = CallRunner.readRequest(java.nio.ByteBuffer.wrap(FfiConverterTypeNativeRequest.encode(request)))
            assertEquals(request.method, read.method)
            assertEquals(request.url, read.url)
            assertEquals(request.headers.map { it.name to it.value }, read.headers)
            assertEquals(request.body, read.body)
        }
    }

    @Test
    fun `a reader that keeps repeated text still reads each request as written`() {
        val reader = RequestReader()
        fun request(url: String, authorization: String, extra: List<NativeHeader>, body: String?) =
            NativeRequest("POST", url, listOf(NativeHeader("authorization", authorization)) + extra, body)
        // The same text, then changes of the same length, of another length, in and out of
        // the kept places (more headers than slots), and non-ASCII text.
        val many = (1..12).map { NativeHeader("x-$it", "v$it") }
        for (request in listOf(
            request("http://127.0.0.1:9/api/gig", "Basic a2V5Og==", emptyList(), "{}"),
            request("http://127.0.0.1:9/api/gig", "Basic a2V5Og==", emptyList(), "{}"),
            request("http://127.0.0.1:9/api/giG", "Basic a2V5Og=!", emptyList(), null),
            request("http://127.0.0.1:9/api/gig/é", "Basic", many, "{\"description\":\"Zoë 🚀\"}"),
            request("http://127.0.0.1:9/api/gig", "Basic a2V5Og==", many.reversed(), "{}"),
            request("http://127.0.0.1:9/api/gig", "Basic a2V5Og==", emptyList(), ""),
        )) {
            val read = reader.read(java.nio.ByteBuffer.wrap(FfiConverterTypeNativeRequest.encode(request)))
            assertEquals(request.method, read.method)
            assertEquals(request.url, read.url)
            assertEquals(request.headers.map { it.name to it.value }, read.headers)
            assertEquals(request.body, read.body)
        }
    }

    @Test
    fun `a Rust panic in a direct entry point is a catchable InternalException`() {
        val e = assertThrows<InternalException> { Jni.result(Jni.panicForTests("deliberate".toByteArray())) }
        assertEquals("internal", e.code)
        assertTrue(e.message!!.contains("deliberate"), e.message)
        // The library is still usable after the panic.
        validate(gig)
        Webhooks.verifier("s").use { it.verify("{}".toByteArray(), Webhooks.sign("s", "{}")) }
    }

    @Test
    fun `a released handle is refused, never used`() {
        val body = "{}".toByteArray()
        val signature = Webhooks.sign("s", body)
        NativeWebhookVerifier(listOf("s".toByteArray())).use { native ->
            val handle = native.fastHandle().toLong()
            assertEquals(0, Jni.verify(handle, body, signature))
            assertEquals(1, Jni.verify(handle, body, "AAAAAAAAAAAAAAAAAAAAAAAAAAA="))
            assertTrue(Jni.release(handle))
            assertEquals(-1, Jni.verify(handle, body, signature))
            assertFalse(Jni.release(handle), "a second release is refused")
            val e = assertThrows<InternalException> { Jni.result(Jni.poll(handle)) }
            assertTrue(e.message!!.contains("released"), e.message)
        }
        val verifier = Webhooks.verifier("s")
        verifier.verify(body, signature)
        verifier.close()
        assertThrows<IllegalStateException> { verifier.verify(body, signature) }

        val client = LeanClient("key", transport = { _, _ -> error("nothing may be sent") })
        client.close()
        assertThrows<IllegalStateException> { runBlocking { client.createGig(gig) } }
    }

    @Test
    fun `every call releases its handle, however it ends`() = runBlocking {
        var reply: suspend () -> HttpResponse = { HttpResponse(201, listOf("content-type" to "application/json"), gigJson.toByteArray()) }
        val client = LeanClient("key", baseUrl = "http://127.0.0.1:9/api", transport = { _, _ -> reply() }, maxRetries = 0)
        val before = Jni.liveHandles()

        assertEquals("g1", client.createGig(gig).gigId)
        assertThrows<ValidationException> { runBlocking { client.createGig(gig.copy(tips = "x")) } }
        reply = { HttpResponse(404, emptyList(), """{"message":"no such gig"}""".toByteArray()) }
        assertThrows<NotFoundException> { runBlocking { client.getGig("g2") } }
        reply = { throw TransportFailure(TransportFailureKind.CONNECT, "refused") }
        assertThrows<TransportException> { runBlocking { client.listGigs() } }
        reply = { throw IllegalArgumentException("a bug in the transport") }
        assertThrows<TransportException> { runBlocking { client.getGig("g3") } }
        reply = { CompletableDeferred<HttpResponse>().await() }
        val timedOut = assertThrows<TimeoutCancellationException> { runBlocking { withTimeout(50) { client.getGig("g4") } } }
        assertTrue(timedOut.interruptedCall != null, "the cancellation does not say what was sent")
        reply = { HttpResponse(700, emptyList(), ByteArray(0)) }
        assertThrows<InternalException> { runBlocking { client.getGig("g5") } }

        assertEquals(before, Jni.liveHandles(), "a call left its handle behind")
        client.close()
        assertEquals(before - 1, Jni.liveHandles(), "closing the client releases its configuration")
    }
}
