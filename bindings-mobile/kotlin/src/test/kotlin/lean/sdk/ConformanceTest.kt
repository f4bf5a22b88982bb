package lean.sdk

import com.sun.net.httpserver.HttpServer
import java.io.File
import java.io.FilterInputStream
import java.io.InputStream
import java.net.HttpURLConnection
import java.net.InetSocketAddress
import java.net.Socket
import java.net.URI
import java.util.concurrent.atomic.AtomicLong
import kotlin.concurrent.thread
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import lean.sdk.openbanking.Auth
import lean.sdk.openbanking.OpenBankingClient
import lean.sdk.openbanking.OpenBankingEnvironment
import lean.sdk.openbanking.OpenBankingWebhooks
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.fail

/**
 * The shared conformance scenarios (`tests/conformance/scenarios.json`) against
 * `lean-sandbox hostile`, one dynamic test each, through the public clients and the default
 * transport: the outcome and the server's counts must be what every host reports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceTest {
    private val scenarios: JSONObject? by lazy {
        generateSequence(File(System.getProperty("user.dir")).absoluteFile) { it.parentFile }
            .map { File(it, "tests/conformance/scenarios.json") }
            .firstOrNull { it.isFile }
            ?.let { JSONObject(it.readText()) }
    }
    private var server: Process? = null
    private lateinit var mainUrl: String
    private lateinit var otherUrl: String

    @AfterAll
    fun stop() {
        server?.destroy()
    }

    private fun start() {
        if (server != null) return
        val file = generateSequence(File(System.getProperty("user.dir")).absoluteFile) { it.parentFile }
            .map { File(it, "tests/conformance/scenarios.json") }.first { it.isFile }
        val process = startSandbox("hostile", "--scenarios", file.path, "--port", "0", "--quiet")
        server = process
        val lines = process.inputStream.bufferedReader()
        mainUrl = (lines.readLine() ?: error("lean-sandbox hostile did not start")).removePrefix("listening on ").trim()
        otherUrl = (lines.readLine() ?: error("lean-sandbox hostile did not start")).removePrefix("other origin on ").trim()
    }

    @TestFactory
    fun scenarios(): List<DynamicTest> {
        val all = scenarios
        if (all == null) {
            return listOf(dynamicTest("tests/conformance/scenarios.json is present") {
                assumeTrue(false, "no tests/conformance/scenarios.json in this checkout: nothing to run")
            })
        }
        // The connection scenarios make their call `call.repeat` times through one client and
        // count the connections the server accepted for them.
        val calls = (all.getJSONArray("scenarios").objects() + (all.optJSONArray("connectionScenarios")?.objects() ?: emptyList()))
            .map { s -> dynamicTest(s.getString("name")) { run(s) } }
        val hooks = all.optJSONArray("webhookScenarios")?.objects()?.map { s ->
            dynamicTest(s.getString("name")) { webhook(s) }
        } ?: emptyList()
        return calls + hooks
    }

    private fun run(scenario: JSONObject) {
        start()
        val created = http("POST", "$mainUrl/_hostile/runs", JSONObject().put("scenario", scenario.getString("name")))
        val runUrl = created.getString("baseUrl")
        val runId = created.getString("id")
        val call = scenario.getJSONObject("call")
        val settings = scenario.optJSONObject("client") ?: JSONObject()
        val timeout = settings.optLong("timeoutMs", 1000)
        val maxBackoff = settings.optLong("maxBackoffMs", 5)
        // The default transport, with the scenario's per-attempt timeout.
        val default = HttpUrlConnectionTransport()
        val transport = Transport { request, _ -> default.send(request, timeout) }
        val sleep: suspend (Long) -> Unit = { delay(it.coerceAtMost(maxBackoff)) }
        val arguments = call.toMap().filterKeys { it !in setOf("api", "credentials", "operation", "repeat") }
        val maxRetries = settings.optInt("maxRetries", 2)
        val repeat = call.optInt("repeat", 1)
        // Each call's error, or null for a success: `repeat` calls, one after another, through one
        // client (with OAuth, its token is fetched once).
        val errors: List<LeanException?> = runBlocking {
            suspend fun outcome(send: suspend () -> Unit): LeanException? = try {
                send()
                null
            } catch (e: LeanException) {
                e
            }
            when (call.getString("api")) {
                "payouts" -> LeanClient("sk_test_conformance", Environment.SANDBOX, "$runUrl/api", transport, maxRetries, sleep)
                    .use { client -> (1..repeat).map { outcome { client.execute(call.getString("operation"), arguments) } } }
                else -> {
                    val auth = when (call.getString("credentials")) {
                        "oauth" -> Auth.clientCredentials("conformance-client", "conformance-secret")
                        else -> Auth.appToken("conformance-app-token")
                    }
                    val environment = OpenBankingEnvironment.custom(runUrl, tokenBaseUrl = runUrl)
                    val client = OpenBankingClient(auth, environment, null, transport, maxRetries,
                        settings.optLong("initialBackoffMs", 1), sleep, System::currentTimeMillis)
                    (1..repeat).map { outcome { client.execute(call.getString("operation"), arguments) } }
                }
            }
        }
        val expect = scenario.getJSONObject("expect")
        val seen = http("GET", "$mainUrl/_hostile/runs/$runId", null)
        val problems = mutableListOf<String>()
        fun check(what: String, expected: Any?, actual: Any?) {
            if (expected != actual) problems += "$what: expected $expected, got $actual"
        }
        for ((n, error) in errors.withIndex()) {
            val which = if (errors.size == 1) "" else "call ${n + 1} of ${errors.size}: "
            if (expect.getString("result") == "ok") {
                check("${which}result", "ok", error?.let { "${it.code}: ${it.message}" } ?: "ok")
            } else {
                check("${which}code", expect.getString("code"), error?.code)
                if (expect.has("outcomeUnknown")) check("${which}outcomeUnknown", expect.getBoolean("outcomeUnknown"), (error as? TransportException)?.outcomeUnknown)
                if (expect.has("applied")) check("${which}applied", expect.getBoolean("applied"), (error as? InvalidResponseException)?.applied)
                val key = (error as? TransportException)?.idempotencyKey ?: (error as? InvalidResponseException)?.idempotencyKey
                if (expect.has("idempotencyKeyReported")) check("${which}idempotencyKeyReported", expect.getBoolean("idempotencyKeyReported"), key != null)
                if (expect.has("sentIds")) {
                    val ids = (error as? TransportException)?.sentIds ?: (error as? InvalidResponseException)?.sentIds
                    check("${which}sentIds", expect.getJSONObject("sentIds").toMap(), ids)
                }
                if (expect.has("location")) {
                    val location = expect.getString("location").replace("{other}", "$otherUrl/$runId").replace("{self}", runUrl)
                    check("${which}location", location, (error as? RedirectException)?.location)
                }
            }
        }
        check("requests", expect.optInt("requests", seen.getInt("requests")), seen.getInt("requests"))
        if (expect.has("connections")) check("connections", expect.getInt("connections"), seen.getInt("connections"))
        check("otherOriginRequests", expect.optInt("otherOriginRequests", 0), seen.getInt("otherOriginRequests"))
        check("otherOriginCredentialHeaders", 0, seen.optJSONArray("otherOriginCredentialHeaders")?.length() ?: 0)
        expect.optJSONArray("seen")?.let { wanted ->
            val got = seen.getJSONArray("seen").objects().map { it.getString("method") + " " + it.getString("path") }
            check("seen", wanted.objects().map { it.getString("method") + " " + it.getString("path") }, got)
        }
        if (problems.isNotEmpty()) fail("${scenario.getString("name")}: ${problems.joinToString("; ")} (${errors.map { it ?: "no error" }})")
        if (scenario.getJSONObject("call").has("repeat")) {
            println("${scenario.getString("name")}: ${seen.getInt("requests")} requests on ${seen.getInt("connections")} connection(s)")
        }
    }

    /** A webhook scenario against [OpenBankingWebhooks.Verifier.receive] reading the request stream. */
    private fun webhook(scenario: JSONObject) {
        val limit = if (scenario.has("limitBytes")) scenario.getInt("limitBytes") else WebhookBody.DEFAULT_LIMIT_BYTES
        val consumed = AtomicLong()
        val verifier = OpenBankingWebhooks.verifier("whsec_conformance")
        val receiver = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/hooks") { exchange ->
                val declared = exchange.requestHeaders.getFirst("content-length")?.toLongOrNull()
                val body = Counting(exchange.requestBody, consumed)
                val status = verifier.receive(body, declared, exchange.requestHeaders.getFirst("lean-signature"), limit) {}
                exchange.sendResponseHeaders(status, -1)
                exchange.close()
            }
            start()
        }
        try {
            val request = scenario.getJSONObject("request")
            val status = send(receiver.address.port, request)
            assertEquals(scenario.getJSONObject("expect").getInt("status"), status)
            assertTrue(consumed.get() <= limit + 1L, "the helper read ${consumed.get()} bytes, past the limit of $limit")
        } finally {
            receiver.stop(0)
        }
    }

    /** Sends the scenario's webhook request over a raw socket; returns the status answered. */
    private fun send(port: Int, request: JSONObject): Int {
        val total = request.getLong("bodyBytes")
        val chunk = request.optInt("chunkBytes", 64 * 1024)
        val interval = request.optLong("intervalMs", 0)
        val declared = if (request.has("contentLength")) request.getLong("contentLength") else null
        Socket("127.0.0.1", port).use { socket ->
            val out = socket.getOutputStream()
            val head = StringBuilder("POST /hooks HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nlean-signature: sha512=00\r\n")
            head.append(if (declared != null) "content-length: $declared\r\n" else "transfer-encoding: chunked\r\n").append("\r\n")
            out.write(head.toString().toByteArray())
            val writer = thread(isDaemon = true) {
                try {
                    var sent = 0L
                    while (sent < total) {
                        val n = minOf(chunk.toLong(), total - sent).toInt()
                        if (declared == null) out.write("${Integer.toHexString(n)}\r\n".toByteArray())
                        out.write(ByteArray(n) { 'x'.code.toByte() })
                        if (declared == null) out.write("\r\n".toByteArray())
                        out.flush()
                        sent += n
                        if (interval > 0) Thread.sleep(interval)
                    }
                    if (declared == null) out.write("0\r\n\r\n".toByteArray())
                    out.flush()
                } catch (e: Exception) {
                    // The receiver answered and closed before the whole body was sent.
                }
            }
            val line = socket.getInputStream().bufferedReader().readLine() ?: error("no answer")
            writer.interrupt()
            return line.split(" ")[1].toInt()
        }
    }

    private class Counting(input: InputStream, val count: AtomicLong) : FilterInputStream(input) {
        override fun read(): Int = super.read().also { if (it >= 0) count.incrementAndGet() }
        override fun read(b: ByteArray, off: Int, len: Int): Int = super.read(b, off, len).also { if (it > 0) count.addAndGet(it.toLong()) }
    }

    private fun http(method: String, url: String, body: JSONObject?): JSONObject {
        val connection = URI(url).toURL().openConnection() as HttpURLConnection
        connection.requestMethod = method
        if (body != null) {
            connection.doOutput = true
            connection.setRequestProperty("content-type", "application/json")
            connection.outputStream.use { it.write(body.toString().toByteArray()) }
        }
        val status = connection.responseCode
        val text = (if (status >= 400) connection.errorStream else connection.inputStream)?.use { String(it.readBytes()) } ?: ""
        check(status in 200..299) { "$method $url answered $status: $text" }
        return JSONObject(text)
    }

    private fun JSONArray.objects(): List<JSONObject> = (0 until length()).map { getJSONObject(it) }
}
