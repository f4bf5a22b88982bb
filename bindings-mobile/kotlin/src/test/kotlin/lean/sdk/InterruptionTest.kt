package lean.sdk

import java.math.BigDecimal
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Calls that end without an answer: cancelled mid-flight, or their custom transport threw.
 * Either way the caller learns what was sent, and amounts never take unbounded work.
 */
class InterruptionTest {
    private val gig = NewGig("uid_1", BigDecimal("15.00"), BigDecimal("3.00"), BigDecimal("2.00"), "Gig", "g1", "2021-03-01T21:04:04", "2021-03-01T21:31:05")

    @Test
    fun `a create cancelled mid-flight rethrows the cancellation with what was sent`() = runBlocking {
        val sent = CompletableDeferred<Unit>()
        val client = LeanClient("key", baseUrl = "http://127.0.0.1:9/api", transport = { _, _ ->
            sent.complete(Unit)
            awaitCancellation()
        })
        val payment = NewSpecialPayment(partnerUserId = "uid_1", amount = BigDecimal("25.00"), paymentType = "bonus")
        val inside = CompletableDeferred<Throwable>()
        val call = async {
            try {
                client.createSpecialPayment(payment, idempotencyKey = "bonus-key-1")
            } catch (e: CancellationException) {
                inside.complete(e)
                throw e
            }
        }
        sent.await()
        call.cancel()
        val outside = assertThrows<CancellationException> { runBlocking { call.await() } }
        val thrown = inside.await()
        assertTrue(thrown is CancellationException, "$thrown")
        for (e in listOf(thrown, outside)) {
            val report = e.interruptedCall
            assertTrue(report != null, "the cancellation does not say what was sent: $e")
            assertTrue(report!!.outcomeUnknown)
            assertEquals("bonus-key-1", report.idempotencyKey)
        }
        client.close()
    }

    @Test
    fun `a custom transport's exception is a transport failure the engine decides on`() {
        var attempts = 0
        val client = LeanClient("key", baseUrl = "http://127.0.0.1:9/api", maxRetries = 2, transport = { _, _ ->
            attempts++
            throw IllegalStateException("the custom stack broke")
        })
        val e = assertThrows<TransportException> { runBlocking { client.createGig(gig) } }
        assertTrue(e.message!!.contains("the custom stack broke"), e.message)
        assertTrue(e.outcomeUnknown, "a create whose attempt failed this way may have been applied")
        assertTrue(attempts >= 1)
        // A read is safe to repeat: the engine retries it.
        attempts = 0
        assertThrows<TransportException> { runBlocking { client.getGig("g1") } }
        assertEquals(3, attempts)
    }

    @Test
    fun `a decimal with a huge exponent is a field error, without expanding it`() {
        val client = LeanClient("key", transport = { _, _ -> error("nothing may be sent") })
        for (amount in listOf(BigDecimal("1E+900000000"), BigDecimal("1E-900000000"))) {
            val e = assertThrows<ValidationException> {
                runBlocking { client.createGig(NewGig("uid_1", amount, BigDecimal.ZERO, BigDecimal.ZERO, "d", "g1",
                    "2021-03-01T21:04:04", "2021-03-01T21:31:05")) }
            }
            assertEquals(listOf("totalAmount"), e.fieldErrors.map { it.field }, "${e.fieldErrors}")
            val m = assertThrows<ValidationException> { runBlocking { client.createGig(mapOf("totalAmount" to amount)) } }
            assertTrue(m.fieldErrors.any { it.field == "totalAmount" }, "${m.fieldErrors}")
        }
        // Exponents of ordinary size are still exact amounts.
        validate(NewGig("uid_1", BigDecimal("1.5E+1"), BigDecimal("0E-2"), BigDecimal("200E-2"), "d", "g1",
            "2021-03-01T21:04:04", "2021-03-01T21:31:05"))
    }

    @Test
    fun `an integral Double is refused as an amount like any other`() {
        val e = assertThrows<ValidationException> { validate("createGig", mapOf("totalAmount" to 15.0)) }
        val field = e.fieldErrors.first { it.field == "totalAmount" }
        assertEquals("invalid_type", field.code)
    }

    @Test
    fun `no client, request, answer, credential or error shows a secret`() {
        val key = "sk_test_never_shown_9f2"
        val client = LeanClient(key, baseUrl = "http://127.0.0.1:9/api", maxRetries = 0, transport = { request, _ ->
            throw TransportFailure(TransportFailureKind.OTHER, "dropped $request")
        })
        val e = assertThrows<TransportException> { runBlocking { client.createGig(gig) } }
        val request = HttpRequest("POST", "http://127.0.0.1:9/api/gig", listOf("authorization" to "Basic $key"), "{}")
        val response = HttpResponse(200, listOf("set-cookie" to key), key.toByteArray())
        val ob = lean.sdk.openbanking.OpenBankingClient(
            lean.sdk.openbanking.Auth.clientCredentials("client-1", key),
            lean.sdk.openbanking.OpenBankingEnvironment.custom("http://127.0.0.1:9", tokenBaseUrl = "http://127.0.0.1:9"),
        )
        val texts = listOf(client, e, request, response, request.headers, response.headers, ob, lean.sdk.openbanking.Auth.appToken(key),
            lean.sdk.openbanking.Auth.accessToken(key), Webhooks.verifier(key),
            lean.sdk.openbanking.OpenBankingWebhooks.verifier(key)).map { it.toString() } + e.stackTraceToString()
        for (text in texts) assertFalse(text.contains(key) || text.contains("never_shown"), text)
    }
}
