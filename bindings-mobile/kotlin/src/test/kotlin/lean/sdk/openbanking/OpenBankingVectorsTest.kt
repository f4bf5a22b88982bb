package lean.sdk.openbanking

import java.math.BigDecimal
import kotlinx.coroutines.runBlocking
import lean.sdk.interruptedCall
import lean.sdk.RedirectException
import lean.sdk.ApiException
import lean.sdk.HttpRequest
import lean.sdk.InvalidResponseException
import lean.sdk.LeanException
import lean.sdk.Transport
import lean.sdk.TransportException
import lean.sdk.Exchange
import lean.sdk.Scripted
import lean.sdk.exactPathAndQuery
import lean.sdk.webhookCase
import lean.sdk.vectorResponse
import lean.sdk.LeanEvent
import lean.sdk.LeanLogger
import lean.sdk.checkError
import lean.sdk.checkEvents
import lean.sdk.callArguments
import lean.sdk.runEngineCase
import lean.sdk.vectorDir
import lean.sdk.vectorTests
import lean.sdk.toException
import lean.sdk.toNative
import lean.sdk.ffi.NativeTokenPolicy
import lean.sdk.ffi.NativeTokenStep
import lean.sdk.ffi.NativeTokenTicket
import lean.sdk.ffi.TransportErrorKind
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.TestFactory

/**
 * Runs every case of `tests/vectors/openbanking/` through the public Kotlin API
 * ([OpenBankingClient], [OpenBankingEnvironment], [Auth], [OAuthToken], [OpenBankingWebhooks]),
 * as `tests/vectors/openbanking/README.md` describes; one dynamic test per case.
 */
class OpenBankingVectorsTest {
    private val dir = vectorDir("openbanking")

    private fun each(file: String, run: (JSONObject) -> Unit) = vectorTests(dir, file, run)

    @TestFactory fun environments() = each("environments.json") { case ->
        val expect = case.getJSONObject("expect")
        val env = runCatching { environment(case.opt("environment")) }.getOrElse {
            checkError(it, expect.optJSONObject("error") ?: fail("unexpected $it"))
            return@each
        }
        assertEquals(expect.getString("apiBaseUrl"), env.apiBaseUrl)
        assertEquals(expect.getBoolean("mtls"), env.requiresMtls)
        assertEquals(expect.opt("tokenUrl").takeIf { it != JSONObject.NULL }, env.tokenUrl)
    }

    @TestFactory fun authentication() = each("auth.json") { case ->
        val expect = case.getJSONObject("expect")
        val result = runCatching {
            when (case.getString("action")) {
                "tokenRequest" -> {
                    val scope = case.get("scope")
                    val customer = (scope as? JSONObject)?.getString("customer")
                    val credentials = Auth.clientCredentials(case.getString("clientId"), case.getString("clientSecret"), customer)
                    val request = (credentials as Auth.ClientCredentials).tokenRequest(environment(case.opt("environment")))
                    checkRequest(expect.getJSONObject("request"), request)
                    val secret = case.getString("clientSecret")
                    for (shown in listOf(credentials.toString(), request.toString())) {
                        assertFalse(shown.contains(secret), shown)
                    }
                }
                "parseToken" -> {
                    val spec = case.getJSONObject("response")
                    val margin = if (case.has("marginSeconds")) case.getLong("marginSeconds") * 1000 else null
                    val token = OAuthToken.parse(vectorResponse(spec), case.getLong("receivedAt") * 1000, margin)
                    assertEquals(expect.getLong("expiresAt") * 1000, token.expiresAtMillis)
                    if (expect.has("scope")) assertEquals(expect.opt("scope").takeIf { it != JSONObject.NULL }, token.scope)
                    if (expect.has("authorization")) {
                        val request = firstRequest(token.toAuth())
                        assertEquals(expect.getString("authorization"), header(request, "authorization"))
                        assertNull(header(request, "lean-app-token"))
                        assertEquals(1, request.headers.count { it.first.lowercase() == "authorization" })
                    }
                    case.optJSONArray("checks")?.let { checks ->
                        for (i in 0 until checks.length()) {
                            val check = checks.getJSONObject(i)
                            assertEquals(check.getBoolean("needsRenewal"), token.needsRenewal(check.getLong("at") * 1000), "at ${check.get("at")}")
                        }
                    }
                    assertFalse(token.toString().contains("access_token"))
                }
                "appToken", "bearer" -> {
                    val token = case.getString("token")
                    val auth = if (case.getString("action") == "appToken") Auth.appToken(token) else Auth.accessToken(token)
                    assertFalse(auth.toString().contains(token), auth.toString())
                    val request = firstRequest(auth)
                    val headers = expect.getJSONObject("headers")
                    for (name in headers.keySet()) assertEquals(headers.getString(name), header(request, name), name)
                    assertFalse(request.toString().contains(token))
                }
                else -> fail("unknown action")
            }
        }
        result.exceptionOrNull()?.let { error ->
            if (error is AssertionError) throw error
            checkError(error, expect.optJSONObject("error") ?: throw AssertionError("unexpected $error", error))
        } ?: assertFalse(expect.has("error"), "expected ${expect.opt("error")}")
    }

    @TestFactory fun requests() = each("requests.json", ::operationCase)

    @TestFactory fun validation() = each("validation.json") { case ->
        assertTrue(case.getJSONObject("expect").has("error"), "validation cases expect errors")
        operationCase(case)
    }

    /**
     * The token policy the client follows, driven step by step as the core's runner does:
     * named callers (one ticket each) share one policy; fetches are numbered from 1.
     */
    @TestFactory fun tokenPolicy() = each("tokens.json") { case ->
        val env = environment(case.get("environment"))
        val margin = if (case.has("marginSeconds")) (case.getLong("marginSeconds") * 1000).toULong() else null
        val policy = NativeTokenPolicy(case.getString("clientId"), case.getString("clientSecret"), env.native, null, margin)
        policy.recordEvents(true)
        val tickets = mutableMapOf<String, NativeTokenTicket>()
        var fetches = 0
        val steps = case.getJSONArray("steps")
        for (i in 0 until steps.length()) {
            val step = steps.getJSONObject(i)
            val ticket = tickets.getOrPut(step.getString("caller")) { NativeTokenTicket() }
            val expect = step.opt("expect")
            val at = (step.optLong("at") * 1000).toULong()
            val context = "step ${i + 1} (${step.getString("caller")} ${step.getString("action")})"
            val error = runCatching {
                when (step.getString("action")) {
                    "poll" -> when (val next = lean.sdk.native { policy.poll(ticket, at) }) {
                        is NativeTokenStep.Use -> assertEquals(
                            "Bearer " + (expect as JSONObject).getString("use"),
                            header(firstRequest(Auth.AccessToken(next.auth)), "authorization"), context,
                        )
                        is NativeTokenStep.Fetch -> {
                            fetches += 1
                            assertEquals((expect as JSONObject).getInt("fetch"), fetches, context)
                            assertEquals(env.tokenUrl, next.request.url, context)
                        }
                        is NativeTokenStep.Wait -> assertEquals((expect as JSONObject).getInt("wait"), fetches, context)
                    }
                    "tokenResponse" -> lean.sdk.native {
                        policy.onTokenResponse(ticket, vectorResponse(step.getJSONObject("response")).toNative(), at)
                    }
                    "tokenTransportError" -> {
                        val kind = TransportErrorKind.valueOf(step.getString("kind").uppercase())
                        throw policy.onTokenTransportError(ticket, kind, step.getString("message")).toException()
                    }
                    "unauthorized" ->
                        assertEquals(expect, if (policy.onUnauthorized(ticket)) "renewAndRetry" else "fail", context)
                    else -> fail("$context: unknown action")
                }
            }.exceptionOrNull()
            val want = (expect as? JSONObject)?.optJSONObject("error")
            when {
                want != null -> checkError(error ?: fail("$context: expected the error $want"), want)
                error != null -> throw AssertionError("$context: unexpected $error", error)
            }
            val events = policy.takeEvents().map { LeanEvent.of(it) }
            checkEvents("${case.getString("name")}: $context", events, step.getJSONArray("events"))
            for (event in events) assertFalse(case.getString("clientSecret") in event.json, "$context: ${event.json}")
        }
    }

    @TestFactory fun responses() = each("responses.json") { case ->
        val transport = Scripted(exactPathAndQuery, listOf(Exchange(null, case.getJSONObject("response"))))
        val client = client(null, null, JSONObject().put("maxRetries", 0), transport)
        val result = runCatching { runBlocking { client.execute(case.getString("operation"), sample(case.getString("operation"))) } }
        checkResult(case.getString("name"), result, case.getJSONObject("expect"))
    }

    @TestFactory fun engine() = each("engine.json") { case ->
        val result = runEngineCase(case, exactPathAndQuery, { transport, logger, sleep ->
            client(case.opt("environment"), case.optJSONObject("auth"), case.optJSONObject("config") ?: JSONObject(), transport, logger, sleep)
        }) { client -> case.getJSONObject("call").let { client.execute(it.getString("operation"), callArguments(it)) } }
        checkResult(case.getString("name"), result, case.getJSONObject("expect"))
    }

    private val TYPED_PAYLOADS = setOf(
        "entity.created", "payment.created", "payment.updated", "payment_intent.created", "payment_source.created",
        "payment_source.beneficiary.created", "entity.data.refresh.updated", "bank.availability.updated",
    )

    @TestFactory fun webhooks() = each("webhooks.json") { case ->
        val (secrets, payload, signature, expect) = webhookCase(case)
        when (case.getString("action")) {
            "sign" -> assertEquals(expect.getString("signature"), OpenBankingWebhooks.sign(secrets[0], payload))
            "verify" -> runCatching { OpenBankingWebhooks.verifier(*secrets.toTypedArray()).verify(payload, signature) }.fold(
                onSuccess = { assertTrue(expect.optBoolean("valid"), "expected $expect") },
                onFailure = { checkError(it, expect.optJSONObject("error") ?: fail("unexpected $it")) },
            )
            "constructEvent" -> runCatching { OpenBankingWebhooks.verifier(*secrets.toTypedArray()).constructEvent(payload, signature) }.fold(
                onSuccess = { event ->
                    val want = expect.optJSONObject("event") ?: fail("unexpected event ${event.json}")
                    assertTrue(want.similar(JSONObject(event.json)), "event ${event.json} != $want")
                    assertEquals(want.getString("type"), event.type)
                    assertEquals(want.optString("event_id", null), event.eventId)
                    if (event.type == "results.ready") assertEquals(want.getJSONObject("payload").getString("id"), event.resultsId)
                    // The typed payload, when the type has one, is the event's payload, amounts exact.
                    val typed = listOfNotNull(
                        event.entity?.json, event.payment?.json, event.paymentIntent?.json,
                        event.paymentSource?.json, event.dataRefresh?.json, event.bankAvailability?.json,
                    )
                    if (event.type in TYPED_PAYLOADS) {
                        assertEquals(1, typed.size, event.json)
                        assertTrue(want.getJSONObject("payload").similar(JSONObject(typed[0])), "${typed[0]} != $want")
                    } else {
                        assertEquals(emptyList<String>(), typed, event.json)
                    }
                    val amount = event.payment?.amount ?: event.paymentIntent?.amount
                    if (amount != null) assertEquals(want.getJSONObject("payload").getString("amount"), amount.toPlainString())
                },
                onFailure = { checkError(it, expect.optJSONObject("error") ?: fail("unexpected $it")) },
            )
            else -> fail("unknown action")
        }
    }

    // --- operations -----------------------------------------------------------------------

    private fun operationCase(case: JSONObject) {
        val recorder = Scripted(exactPathAndQuery, List(10) { Exchange(null, null) })
        val expect = case.getJSONObject("expect")
        val call = case.getJSONObject("call")
        val result = runCatching {
            val client = client(case.opt("environment"), case.optJSONObject("auth"), JSONObject().put("maxRetries", 0), recorder)
            runBlocking { client.execute(call.getString("operation"), callArguments(call)) }
        }
        val want = expect.optJSONObject("request")
        if (want == null) {
            checkError(result.exceptionOrNull() ?: fail("expected an error, got ${result.getOrNull()}"), expect.getJSONObject("error"))
            assertTrue(recorder.sent.isEmpty(), "no request may be sent")
            return
        }
        checkRequest(want, recorder.sent.firstOrNull() ?: fail("expected a request, got $result"))
    }

    private fun checkRequest(want: JSONObject, request: HttpRequest) {
        assertEquals(want.getString("method"), request.method)
        assertEquals(want.getString("url"), request.url)
        val headers = want.getJSONObject("headers")
        for (name in headers.keySet()) assertEquals(headers.getString(name), header(request, name), "header $name")
        assertTrue(header(request, "user-agent")!!.startsWith("lean-sdk/"), "user-agent")
        when (val body = want.opt("body")) {
            null, JSONObject.NULL -> assertNull(request.body)
            is String -> assertEquals(body, request.body)
            is JSONObject -> assertTrue(body.similar(JSONObject(request.body!!)), "body ${request.body}")
            else -> fail("bad body $body")
        }
        want.optString("bodyContains", null)?.let { assertTrue(request.body!!.contains(it), "${request.body} lacks $it") }
    }

    private fun header(request: HttpRequest, name: String) =
        request.headers.firstOrNull { it.first.equals(name, ignoreCase = true) }?.second

    /** The request a client with [auth] sends for `listPaymentDestinations`. */
    private fun firstRequest(auth: Auth): HttpRequest {
        val recorder = Scripted(exactPathAndQuery, List(3) { Exchange(null, null) })
        val client = OpenBankingClient(auth, transport = recorder, maxRetries = 0)
        runCatching { runBlocking { client.listPaymentDestinations() } }
        return recorder.sent.first()
    }

    /** Arguments of the runner's choice for a response case, as the Rust runner picks them. */
    private fun sample(operation: String): Map<String, Any?> {
        val input: Map<String, Any?> = when (operation) {
            "getBalance", "getTransactions" -> mapOf("entity_id" to "e1", "account_id" to "a1")
            "createCustomer" -> mapOf("app_user_id" to "u1")
            "createPaymentIntent" -> mapOf("customer_id" to "c1", "amount" to "1", "currency" to "AED")
            "createPaymentDestination" -> mapOf(
                "display_name" to "A", "name" to "A", "bank_identifier" to "B", "iban" to "AE070331234567890123456",
            )
            else -> mapOf("entity_id" to "e1")
        }
        return mapOf(
            "input" to input, "customerId" to "c1", "appUserId" to "u1", "entityId" to "e1",
            "resultsId" to "r1", "paymentIntentId" to "p1", "paymentId" to "p1",
            "accountId" to "a1", "refreshId" to "r1", "startDate" to "2026-01-01", "endDate" to "2026-01-31",
        )
    }

    private fun environment(spec: Any?): OpenBankingEnvironment = when (spec) {
        null, JSONObject.NULL -> OpenBankingEnvironment.UAE_SANDBOX
        is String -> OpenBankingEnvironment.parse(spec)
        is JSONObject -> {
            var env = if (spec.has("name")) {
                OpenBankingEnvironment.parse(spec.getString("name"))
            } else {
                OpenBankingEnvironment.custom(spec.getString("custom"))
            }
            spec.optString("tokenBaseUrl", null)?.let { env = env.withTokenBaseUrl(it) }
            if (spec.has("mtls")) env = env.withMtls(spec.getBoolean("mtls"))
            env
        }
        else -> fail("bad environment $spec")
    }

    private fun client(
        environment: Any?,
        auth: JSONObject?,
        config: JSONObject,
        transport: Transport,
        logger: LeanLogger? = null,
        sleep: suspend (Long) -> Unit = {},
    ): OpenBankingClient = OpenBankingClient(
        auth = auth?.optString("bearer", null)?.let(Auth::accessToken) ?: Auth.appToken("app_token_123"),
        environment = environment(environment),
        mtls = null,
        transport = transport,
        maxRetries = if (config.has("maxRetries")) config.getInt("maxRetries") else null,
        initialBackoffMillis = 1,
        sleep = sleep,
        clock = System::currentTimeMillis,
        logger = logger,
    )

    // --- checks ---------------------------------------------------------------------------

    private fun checkResult(name: String, result: Result<OpenBankingResult>, expect: JSONObject) {
        val value = result.getOrElse { error ->
            checkError(error, expect.optJSONObject("error") ?: throw AssertionError("$name: unexpected $error", error))
            return
        }
        val want = expect.opt("value") ?: fail("$name: expected ${expect.opt("error")}, got ${value.json}")
        when (want) {
            is JSONArray -> assertTrue(want.similar(JSONArray(value.json)), "$name: ${value.json} != $want")
            else -> assertTrue((want as JSONObject).similar(JSONObject(value.json)), "$name: ${value.json} != $want")
        }
        checkTyped(value)
    }

    /** The typed fields agree with the JSON form; amounts are exact decimals. */
    private fun checkTyped(result: OpenBankingResult) {
        when (val v = result.value) {
            is Customer -> assertEquals(JSONObject(v.json).getString("customer_id"), v.customerId)
            is PaymentIntent -> checkIdAndAmount(v.json, "payment_intent_id", v.paymentIntentId, v.amount)
            is DataResult -> {
                val raw = JSONObject(v.json)
                assertEquals(raw.getString("status"), v.status)
                assertEquals(raw.optString("results_id", null), v.resultsId)
                assertEquals(v.status == "PENDING", v.isPending)
            }
            is Entity -> assertEquals(JSONObject(v.json).getString("id"), v.id)
            is Payment -> checkIdAndAmount(v.json, "id", v.id, v.amount)
            is DataPage -> {
                val raw = JSONObject(v.json)
                assertEquals(raw.optString("status", null), v.status)
                val data = raw.opt("data") ?: JSONObject.NULL
                assertTrue(JSONArray("[${v.dataJson}]").similar(JSONArray().put(data)), "data ${v.dataJson} != $data")
                val records = (data as? JSONArray)?.let { a -> (0 until a.length()).map { a.get(it) } } ?: emptyList()
                assertEquals(records.size, v.recordsJson.size)
                records.zip(v.recordsJson).forEach { (want, got) -> assertTrue(JSONArray("[$got]").similar(JSONArray().put(want)), "$got != $want") }
            }
            is DataRefresh -> {
                val raw = JSONObject(v.json)
                assertEquals(raw.getString("refresh_id"), v.refreshId)
                assertEquals(raw.getString("entity_id"), v.entityId)
            }
            is Destination -> {
                val raw = JSONObject(v.json)
                assertEquals(raw.optString("bank_type", null), v.bankType)
                assertEquals(raw.optJSONObject("government_identifier")?.getString("value"), v.governmentIdentifier?.value)
            }
            is List<*> -> v.forEach { item ->
                when (item) {
                    is Bank -> assertEquals(JSONObject(item.json).getString("identifier"), item.identifier)
                    is PaymentIntent -> assertEquals(JSONObject(item.json).getString("payment_intent_id"), item.paymentIntentId)
                    is DataRefresh -> assertEquals(JSONObject(item.json).getString("refresh_id"), item.refreshId)
                }
            }
            else -> {}
        }
    }

    /** A payment's or intent's id and exact amount agree with its JSON. */
    private fun checkIdAndAmount(json: String, idField: String, id: String, amount: BigDecimal?) {
        val raw = JSONObject(json)
        assertEquals(raw.getString(idField), id)
        if (raw.has("amount")) assertEquals(BigDecimal(raw.getString("amount")), amount)
    }
}
