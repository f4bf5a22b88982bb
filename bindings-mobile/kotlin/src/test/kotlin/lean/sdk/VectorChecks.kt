package lean.sdk

import java.io.File
import java.math.BigDecimal
import java.util.Base64
import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.DynamicTest

/** A folder of the shared vectors: `tests/vectors/` itself for [folder] `""`. */
internal fun vectorDir(folder: String): File = File(File(System.getProperty("lean.repo") ?: "../..", "tests/vectors"), folder)

/** The cases of one vector file, checked to be there and uniquely named. */
internal fun vectorCases(dir: File, file: String): List<JSONObject> {
    val cases = JSONObject(File(dir, file).readText()).getJSONArray("cases")
    val list = (0 until cases.length()).map { cases.getJSONObject(it) }
    assertTrue(list.isNotEmpty(), "$file has no cases")
    assertEquals(list.size, list.map { it.getString("name") }.toSet().size, "$file: names must be unique")
    return list
}

/** One dynamic test per case of a vector file, named by the case. */
internal fun vectorTests(dir: File, file: String, run: (JSONObject) -> Unit): List<DynamicTest> =
    vectorCases(dir, file).map { case -> DynamicTest.dynamicTest(case.getString("name")) { run(case) } }

/** A vector's call as the arguments a client takes: everything but its name, as Kotlin values. */
internal fun callArguments(call: JSONObject): Map<String, Any?> = kotlinValues(call).filterKeys { it != "operation" }

/** JSON to Kotlin values; a number with a fraction stays a binary float, as a caller's would. */
internal fun kotlinValues(o: JSONObject): Map<String, Any?> = o.keySet().associateWith { kotlinValue(o.get(it)) }

private fun kotlinValue(v: Any?): Any? = when (v) {
    JSONObject.NULL, null -> null
    is JSONObject -> kotlinValues(v)
    is JSONArray -> (0 until v.length()).map { kotlinValue(v.get(it)) }
    is BigDecimal -> if (v.scale() > 0) v.toDouble() else v.toBigInteger()
    is Double, is Float -> (v as Number).toDouble()
    else -> v
}

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
    if (want.has("granularStatusCode")) {
        assertEquals(want.opt("granularStatusCode").takeIf { it != JSONObject.NULL }, (e as ApiException).granularStatusCode)
    }
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

/** An [Attempt] in the core's JSON shape (`attempt`, `phase`, `status`?...), without `elapsedMs`. */
internal fun attemptJson(a: Attempt): JSONObject = JSONObject().apply {
    put("attempt", a.number)
    put("phase", a.phase.name.lowercase())
    a.status?.let { put("status", it) }
    a.requestId?.let { put("requestId", it) }
    a.transportError?.let { put("transportError", it.name.lowercase()) }
}

/**
 * Checks what a call reported against a vector's `attempts` and `events`
 * (`tests/vectors/README.md`, "engine.json"), as the core's runner does: the attempts exactly
 * (each that ended timed by the host), the events in order with each key the vector gives
 * (`path` as the end of the URL path), and `call_finished` listing the same attempts.
 */
internal fun checkTrace(name: String, case: JSONObject, events: List<LeanEvent>, attempts: List<Attempt>) {
    val want = case.getJSONArray("attempts")
    assertTrue(JSONArray(attempts.map(::attemptJson)).similar(want), "$name: attempts ${attempts.map(::attemptJson)} != $want")
    for (a in attempts) {
        if (a.status != null || a.transportError != null) assertTrue(a.elapsedMillis != null, "$name: $a was timed")
    }
    checkEvents(name, events, case.getJSONArray("events"))
    val finished = JSONObject(events.last().json).getJSONArray("attempts")
    for (i in 0 until finished.length()) finished.getJSONObject(i).remove("elapsedMs")
    assertTrue(finished.similar(want), "$name: the attempts of call_finished $finished != $want")
}

/** Checks [events] against a vector's list: the same count, and each given key equal. */
internal fun checkEvents(name: String, events: List<LeanEvent>, want: JSONArray) {
    val names = events.map { it.name }
    assertEquals(want.length(), events.size, "$name: events $names")
    for ((i, event) in events.withIndex()) {
        val got = JSONObject(event.json)
        assertEquals(got.getString("event"), event.name)
        assertEquals(got.getString("message"), event.message)
        assertEquals(got.getString("level"), event.level.name.lowercase())
        assertFalse(event.message.isBlank(), "$name: message of ${event.json}")
        val expected = want.getJSONObject(i)
        for (key in expected.keySet()) {
            if (key == "path") {
                assertTrue(got.getString("path").endsWith(expected.getString("path")), "$name: path of ${event.json}")
            } else {
                val same = when (val v = expected.get(key)) {
                    is JSONObject -> v.similar(got.optJSONObject(key))
                    is JSONArray -> v.similar(got.optJSONArray(key))
                    else -> JSONObject().put("v", v).similar(JSONObject().put("v", got.opt(key)))
                }
                assertTrue(same, "$name: $key of ${event.json} is not ${expected.get(key)}")
            }
        }
    }
}

/**
 * Runs one case of either API's `engine.json`: its exchanges scripted (paths checked by
 * [checkPath]) on the client [client] builds with that transport, a logger and a sleep that
 * records the waits, the case's call made by [call]. Checks that every exchange was used, the
 * waits and the trace; returns the call's result for the suite's own check.
 */
internal fun <C, T> runEngineCase(
    case: JSONObject,
    checkPath: (want: String, url: String) -> Unit,
    client: (Transport, LeanLogger, suspend (Long) -> Unit) -> C,
    call: suspend (C) -> T,
): Result<T> {
    val exchanges = case.getJSONArray("exchanges").let { a -> (0 until a.length()).map { a.getJSONObject(it) } }
    val transport = Scripted(checkPath, exchanges.map { Exchange(it.getJSONObject("request"), it.getJSONObject("reply")) })
    val waits = mutableListOf<Long>()
    val logged = CapturedEvents()
    val built = client(transport, logged) { waits += it }
    val result = runCatching { runBlocking { withAttempts { call(built) } } }
    assertEquals(exchanges.size, transport.used, "the engine stopped before every exchange was used")
    case.optJSONArray("waitsMs")?.let { want ->
        assertEquals((0 until want.length()).map { want.getLong(it) }, waits, "waits")
    }
    checkTrace(case.getString("name"), case, logged.events, result.fold({ it.attempts }, ::attemptsOf))
    return result.map { it.value }
}

/** Collects the events a client logs, in order. */
internal class CapturedEvents : LeanLogger {
    val events = mutableListOf<LeanEvent>()
    override fun log(event: LeanEvent) {
        synchronized(events) { events += event }
    }
}

/** The attempts a failed call reported: on its error, or on the report of its cancellation. */
internal fun attemptsOf(error: Throwable): List<Attempt> =
    ((error as? java.util.concurrent.CancellationException)?.interruptedCall ?: error as LeanException).attempts

/** One scripted exchange of a vector: the request it expects (method and path), and the reply. */
internal class Exchange(val expect: JSONObject?, val reply: JSONObject?)

/** The payouts vectors give a request's path under the base URL. */
internal val pathUnderBase: (String, String) -> Unit = { want, url ->
    assertTrue(url.endsWith(want), "$url does not end with $want")
}

/** The open-banking vectors give a request's exact path and query. */
internal val exactPathAndQuery: (String, String) -> Unit = { want, url ->
    val uri = java.net.URI(url)
    assertEquals(want, uri.rawPath + (uri.rawQuery?.let { "?$it" } ?: ""), "path of $url")
}

/**
 * Answers with scripted replies, checking each request's method and path ([checkPath]). A `null`
 * reply records the request and fails the connection, so request cases need no answer. Both
 * APIs' vector suites use it.
 */
internal class Scripted(
    private val checkPath: (want: String, url: String) -> Unit,
    private val exchanges: List<Exchange>,
) : Transport {
    val sent = mutableListOf<HttpRequest>()
    var used = 0

    override suspend fun send(request: HttpRequest, timeoutMillis: Long): HttpResponse {
        sent += request
        val exchange = exchanges.getOrNull(used++) ?: fail("unexpected request $request")
        exchange.expect?.let {
            assertEquals(it.getString("method"), request.method)
            checkPath(it.getString("path"), request.url)
        }
        val reply = exchange.reply ?: throw TransportFailure(TransportFailureKind.CONNECT, "recorded")
        if (reply.has("interrupt")) throw kotlinx.coroutines.CancellationException(reply.getString("interrupt"))
        when (reply.optString("transportError", "")) {
            "connect" -> throw TransportFailure(TransportFailureKind.CONNECT, "refused")
            "timeout" -> throw TransportFailure(TransportFailureKind.TIMEOUT, "timed out")
            "" -> {}
            else -> throw TransportFailure(TransportFailureKind.OTHER, "reset")
        }
        return vectorResponse(reply)
    }
}

/** A vector's HTTP answer (`status`, `headers`, `body` as JSON or `bodyText`). */
internal fun vectorResponse(spec: JSONObject): HttpResponse {
    val headers = spec.optJSONObject("headers")?.let { h -> h.keySet().map { it to h.getString(it) } } ?: emptyList()
    val body = when {
        spec.has("bodyText") -> spec.getString("bodyText")
        spec.has("body") && !spec.isNull("body") -> spec.get("body").toString()
        else -> ""
    }
    return HttpResponse(spec.getInt("status"), headers, body.toByteArray(Charsets.UTF_8))
}

/** What a webhook vector gives: the secrets, the raw body, the signature header (`null` when absent). */
internal data class WebhookCase(val secrets: List<String>, val payload: ByteArray, val signature: String?, val expect: JSONObject)

/** A case of either API's `webhooks.json`, read. */
internal fun webhookCase(case: JSONObject) = WebhookCase(
    secrets = case.getJSONArray("secrets").let { a -> (0 until a.length()).map { a.getString(it) } },
    payload = vectorPayload(case.get("payload")),
    signature = if (case.isNull("signature")) null else case.optString("signature", null),
    expect = case.getJSONObject("expect"),
)

/** A webhook vector's body: text, `{"base64"}`, or `{"repeat", "times"}`. */
internal fun vectorPayload(spec: Any): ByteArray = when (spec) {
    is String -> spec.toByteArray(Charsets.UTF_8)
    is JSONObject -> if (spec.has("base64")) {
        Base64.getDecoder().decode(spec.getString("base64"))
    } else {
        spec.getString("repeat").repeat(spec.getInt("times")).toByteArray(Charsets.UTF_8)
    }
    else -> fail("bad payload $spec")
}
