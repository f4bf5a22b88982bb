package lean.sdk

import kotlinx.coroutines.runBlocking
import lean.sdk.ffi.ErrorDetails
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The error contract: codes, catchable panics, no secret in any text. */
class ErrorsTest {
    @Test
    fun `a Rust panic is a catchable InternalException`() {
        val e = assertThrows<InternalException> { native { lean.sdk.ffi.panicForTests("deliberate") } }
        assertEquals("internal", e.code)
        assertTrue(e.message!!.contains("deliberate"), e.message)
        // The library is still usable after the panic.
        assertEquals(28, Webhooks.sign("s", "x").length)
    }

    @Test
    fun `every code the core reports has an exception of its own`() {
        val codes = lean.sdk.ffi.errorCodes()
        assertTrue("validation" in codes && "internal" in codes, "$codes")
        for (code in codes) {
            val details = ErrorDetails(
                code = code, message = "m", fieldErrors = emptyList(), status = null, body = null, apiMessage = null,
                apiCode = null, granularStatusCode = null, requestId = null, retryAfterMs = null, outcomeUnknown = false, idempotencyKey = null,
                sentIds = emptyMap(), applied = false, location = null,
                attempts = listOf(lean.sdk.ffi.NativeAttempt(1u, AttemptPhase.OPERATION, 503u, "req-1", null, 4u)),
            )
            val e = details.toException()
            assertEquals(code, e.code)
            assertEquals(listOf(Attempt(1, AttemptPhase.OPERATION, 503, "req-1", null, 4)), e.attempts, code)
            if (code != "internal") assertFalse(e is InternalException, "no exception of its own for $code")
        }
    }

    @Test
    fun `every failing field is reported at once with its wire name`() {
        val client = LeanClient("key", transport = { _, _ -> error("nothing may be sent") })
        val e = assertThrows<ValidationException> {
            runBlocking { client.createGig(mapOf("totalAmount" to 12.5, "tips" to "1.999", "bogus" to 1)) }
        }
        val byField = e.fieldErrors.associate { it.field to it.code }
        assertEquals("invalid_type", byField["totalAmount"], "a Double amount is refused: $byField")
        assertEquals("too_many_decimals", byField["tips"], "$byField")
        assertEquals("unknown_field", byField["bogus"], "$byField")
        assertEquals("required", byField["partnerUserId"], "$byField")
    }

    @Test
    fun `typed input is validated by the same rules`() {
        val client = LeanClient("key", transport = { _, _ -> error("nothing may be sent") })
        val gig = NewGig("uid_1", java.math.BigDecimal("10.00"), java.math.BigDecimal("5.00"), java.math.BigDecimal("6.00"), "d", "g1", "2021-03-01T21:04:04", "2021-03-01T21:31:05")
        val e = assertThrows<ValidationException> { runBlocking { client.createGig(gig) } }
        assertTrue(e.fieldErrors.any { it.code == "inconsistent" }, "${e.fieldErrors}")
    }

    @Test
    fun `a special payment's userdata that is not a JSON object is a field error`() {
        val payment = NewSpecialPayment(partnerUserId = "uid_1", amount = java.math.BigDecimal("4.56"), paymentType = "bonus")
        validate(payment.copy(userdata = """{"ticket": 42}"""))
        for (text in listOf("""{"ticket": """, "[42]")) {
            val e = assertThrows<ValidationException> { validate(payment.copy(userdata = text)) }
            assertEquals(listOf("userdata" to "invalid_type"), e.fieldErrors.map { it.field to it.code }, text)
        }
    }

    @Test
    fun `the API key never appears in text`() {
        val key = "sk_test_very_secret_value"
        var seen: HttpRequest? = null
        val client = LeanClient(key, baseUrl = "http://127.0.0.1:9", transport = { request, _ ->
            seen = request
            throw TransportFailure(TransportFailureKind.CONNECT, "refused")
        }, maxRetries = 0)
        val e = assertThrows<TransportException> { runBlocking { client.listGigs() } }
        assertFalse(e.outcomeUnknown)
        for (text in listOf(client.toString(), seen.toString(), e.message!!, e.toString())) {
            assertFalse(text.contains("very_secret"), text)
            assertFalse(text.contains(java.util.Base64.getEncoder().encodeToString("$key:".toByteArray())), text)
        }
        assertThrows<ConfigurationException> { LeanClient("bad key with spaces") }
        assertThrows<ConfigurationException> { LeanClient("k", baseUrl = "http://example.com") }
    }

    @Test
    fun `a webhook verifier never shows its secrets`() {
        Webhooks.verifier("whsec_hidden").use { assertFalse(it.toString().contains("hidden")) }
        val e = assertThrows<WebhookSignatureException> { Webhooks.verify("{}".toByteArray(), "bad", "whsec_hidden") }
        assertEquals("signature_malformed", e.code)
        assertFalse(e.message!!.contains("hidden"))
    }

    @Test
    fun `forms are validated without a client`() {
        val gig = NewGig("uid_1", java.math.BigDecimal("15.00"), java.math.BigDecimal("3.00"), java.math.BigDecimal("2.00"), "Gig", "g1", "2021-03-01T21:04:04", "2021-03-01T21:31:05")
        validate(gig)
        val e = assertThrows<ValidationException> { validate(gig.copy(endTime = "2021-02-01T00:00:00", tips = java.math.BigDecimal("1.999"))) }
        assertEquals(setOf("endTime", "tips"), e.fieldErrors.map { it.field }.toSet())
        val jane = NewCustomer(firstName = "Jane", lastName = "Doe", birthday = "1980-12-31", phoneNumber = "4085008000",
            email = "jane@example.com", street = "700 Treehouse Drive", city = "San Jose", state = "CA",
            postalCode = "95101", partnerUserId = "uid_1", registrationDate = "2020-01-01")
        validate(jane)
        val bad = assertThrows<ValidationException> { validate(jane.copy(email = "not an email", state = "ZZ")) }
        assertEquals(setOf("email", "state"), bad.fieldErrors.map { it.field }.toSet())
        val m = assertThrows<ValidationException> { validate("createCustomer", mapOf("firstName" to "Jane")) }
        assertTrue(m.fieldErrors.any { it.field == "lastName" && it.code == "required" })
        validate("createGig", mapOf("partnerUserId" to "uid_1", "totalAmount" to java.math.BigDecimal("15"),
            "tips" to "0", "expenses" to "0", "description" to "d", "gigId" to "g1",
            "startTime" to "2021-03-01T21:04:04", "endTime" to "2021-03-01T21:31:05"))
    }
}
