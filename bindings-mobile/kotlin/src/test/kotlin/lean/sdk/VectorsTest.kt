package lean.sdk

import java.math.BigDecimal
import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.TestFactory

/**
 * Runs every case of `tests/vectors/` through the public Kotlin API (LeanClient, Webhooks),
 * as `tests/vectors/README.md` describes; one dynamic test per case.
 */
class VectorsTest {
    private val dir = vectorDir("")

    private fun cases(file: String) = vectorCases(dir, file)

    private fun each(file: String, run: (JSONObject) -> Unit) = vectorTests(dir, file, run)

    @TestFactory fun requests() = each("requests.json", ::operationCase)

    @TestFactory fun validation() = each("validation.json") { case ->
        assertTrue(case.getJSONObject("expect").has("error"), "validation cases expect errors")
        operationCase(case)
    }

    @TestFactory fun responses() = each("responses.json") { case ->
        val answer = Scripted(pathUnderBase, listOf(Exchange(null, case.getJSONObject("response"))))
        val result = runCatching {
            runBlocking { invoke(client(JSONObject().put("maxRetries", 0), answer), callFor(case.getString("operation"))) }
        }
        checkResult(case.getString("name"), result, case.getJSONObject("expect"))
    }

    @TestFactory fun engine() = each("engine.json") { case ->
        val result = runEngineCase(case, pathUnderBase, { transport, logger, sleep ->
            client(case.optJSONObject("config") ?: JSONObject(), transport, logger, sleep)
        }) { invoke(it, case.getJSONObject("call")) }
        checkResult(case.getString("name"), result, case.getJSONObject("expect"))
    }

    @TestFactory fun configs() = each("config.json") { case ->
        val result = runCatching { client(case.getJSONObject("config"), Scripted(pathUnderBase, emptyList())) }
        val expect = case.getJSONObject("expect")
        result.fold(
            onSuccess = { assertTrue(expect.optBoolean("ok"), "expected $expect") },
            onFailure = { checkError(it, expect.optJSONObject("error") ?: fail("unexpected $it")) },
        )
    }

    @TestFactory fun webhooks() = each("webhooks.json") { case ->
        val (secrets, payload, signature, expect) = webhookCase(case)
        when (case.getString("action")) {
            "sign" -> {
                assertEquals(expect.getString("signature"), Webhooks.sign(secrets[0], payload))
                if (validUtf8(payload)) {
                    assertEquals(expect.getString("signature"), Webhooks.sign(secrets[0], String(payload, Charsets.UTF_8)))
                }
            }
            "verify" -> {
                val oneOff = runCatching { Webhooks.verify(payload, signature, *secrets.toTypedArray()) }
                val reused = runCatching { Webhooks.verifier(*secrets.toTypedArray()).use { it.verify(payload, signature) } }
                for (result in listOf(oneOff, reused)) {
                    result.fold(
                        onSuccess = { assertTrue(expect.optBoolean("valid"), "expected $expect") },
                        onFailure = { checkError(it, expect.optJSONObject("error") ?: fail("unexpected $it")) },
                    )
                }
            }
            "constructEvent" -> {
                val result = runCatching { Webhooks.constructEvent(payload, signature, *secrets.toTypedArray()) }
                result.fold(
                    onSuccess = { event ->
                        val want = expect.optJSONObject("event") ?: fail("unexpected event ${event.json}")
                        assertTrue(want.similar(JSONObject(event.json)), "event ${event.json} != $want")
                        assertEquals(want.getString("event"), event.event)
                    },
                    onFailure = { checkError(it, expect.optJSONObject("error") ?: fail("unexpected $it")) },
                )
            }
            else -> fail("unknown action")
        }
    }

    // --- operations -----------------------------------------------------------------------

    private fun operationCase(case: JSONObject) {
        val recorder = Scripted(pathUnderBase, List(10) { Exchange(null, null) })
        val expect = case.getJSONObject("expect")
        val result = runCatching {
            val client = client(case.optJSONObject("config") ?: JSONObject(), recorder)
            runBlocking { invoke(client, case.getJSONObject("call")) }
        }
        val want = expect.optJSONObject("request")
        if (want == null) {
            checkError(result.exceptionOrNull() ?: fail("expected an error, got ${result.getOrNull()}"), expect.getJSONObject("error"))
            assertTrue(recorder.sent.isEmpty(), "no request may be sent")
            return
        }
        // Every attempt is refused, so the engine may retry: the first request is the one built.
        val request = recorder.sent.firstOrNull() ?: fail("expected a request, got $result")
        assertEquals(want.getString("method"), request.method)
        assertEquals(want.getString("url"), request.url)
        val headers = request.headers.associate { it.first.lowercase() to it.second }
        for (name in want.getJSONObject("headers").keySet()) {
            assertEquals(want.getJSONObject("headers").getString(name), headers[name], "header $name")
        }
        assertTrue(headers["user-agent"]!!.startsWith("lean-sdk/"), "user-agent")
        if (want.isNull("body")) {
            assertNull(request.body)
        } else {
            assertTrue(want.getJSONObject("body").similar(JSONObject(request.body!!)), "body ${request.body}")
        }
        if (want.optBoolean("generatedIdempotencyKey")) {
            val key = headers["idempotency-key"] ?: fail("no idempotency key")
            assertTrue(Regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}").matches(key), key)
        }
    }

    /**
     * Calls the typed LeanClient method the vector names. Calls Kotlin's types cannot express
     * (a number as an id, an array as input, an unknown operation) go through
     * [LeanClient.execute], the same operations in their host-neutral form.
     */
    private suspend fun invoke(client: LeanClient, call: JSONObject): Any {
        val needsInput = call.getString("operation") in setOf("createCustomer", "updateCustomer", "createGig", "createSpecialPayment")
        val typed = (!needsInput || call.has("input")) && call.keySet().all { key ->
            when (key) {
                "operation" -> true
                "input" -> call.opt(key) is JSONObject
                else -> call.opt(key) is String
            }
        }
        if (!typed) {
            return client.execute(call.getString("operation"), callArguments(call))
        }
        fun text(name: String) = call.optString(name, "")
        val input = call.optJSONObject("input")?.let(::kotlinValues) ?: emptyMap()
        val key = if (call.has("idempotencyKey") && !call.isNull("idempotencyKey")) call.getString("idempotencyKey") else null
        return when (val name = call.getString("operation")) {
            "createCustomer" -> client.createCustomer(input)
            "getCustomer" -> client.getCustomer(text("partnerUserId"))
            "updateCustomer" -> client.updateCustomer(text("partnerUserId"), input)
            "submitApplication" -> client.submitApplication(text("partnerUserId"))
            "createGig" -> client.createGig(input)
            "getGig" -> client.getGig(text("gigId"))
            "listGigs" -> client.listGigs()
            "createSpecialPayment" -> client.createSpecialPayment(input, key)
            "getSpecialPayment" -> client.getSpecialPayment(text("id"))
            "listSpecialPayments" -> client.listSpecialPayments()
            else -> client.execute(name, callArguments(call))
        }
    }

    /** A valid call of [operation] for response cases: the first request vector of it. */
    private fun callFor(operation: String): JSONObject =
        cases("requests.json").map { it.getJSONObject("call") }.firstOrNull { it.getString("operation") == operation }
            ?: JSONObject().put("operation", operation).put("partnerUserId", "uid_1").put("gigId", "gig_1").put("id", "sp_1")

    private fun client(
        config: JSONObject,
        transport: Transport,
        logger: LeanLogger? = null,
        sleep: suspend (Long) -> Unit = {},
    ): LeanClient =
        LeanClient(
            apiKey = config.optString("apiKey", "test_key_123"),
            environment = config.optString("environment", null)?.let(Environment::parse) ?: Environment.SANDBOX,
            baseUrl = config.optString("baseUrl", null),
            transport = transport,
            maxRetries = if (config.has("maxRetries")) config.getInt("maxRetries") else null,
            sleep = sleep,
            logger = logger,
        )

    // --- checks ---------------------------------------------------------------------------

    private fun checkResult(name: String, result: Result<Any>, expect: JSONObject) {
        val value = result.getOrElse { error ->
            checkError(error, expect.optJSONObject("error") ?: fail("$name: unexpected $error"))
            return
        }
        val want = expect.opt("value") ?: fail("$name: expected ${expect.opt("error")}, got $value")
        when (value) {
            is List<*> -> {
                val got = JSONArray(value.map { JSONObject(json(it!!)) })
                assertTrue((want as JSONArray).similar(got), "$name: $got != $want")
            }
            else -> assertTrue((want as JSONObject).similar(JSONObject(json(value))), "$name: ${json(value)} != $want")
        }
    }

    private fun json(value: Any): String = when (value) {
        is Customer -> value.json
        is Gig -> value.json.also { checkAmounts(value) }
        is SpecialPayment -> value.json
        is Application -> value.json
        else -> fail("not a result: $value")
    }

    /** The typed fields agree with the raw form (and amounts are exact decimals). */
    private fun checkAmounts(gig: Gig) {
        val raw = JSONObject(gig.json)
        assertEquals(raw.optString("gigId"), gig.gigId)
        if (raw.has("totalAmount")) assertEquals(BigDecimal(raw.getString("totalAmount")), gig.totalAmount)
    }

    // --- transport and data ---------------------------------------------------------------

    private fun validUtf8(bytes: ByteArray) = String(bytes, Charsets.UTF_8).toByteArray(Charsets.UTF_8).contentEquals(bytes)
}
