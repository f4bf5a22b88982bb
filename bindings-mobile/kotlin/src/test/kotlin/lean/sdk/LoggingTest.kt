package lean.sdk

import java.util.Base64
import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger
import java.util.logging.SimpleFormatter
import kotlinx.coroutines.runBlocking
import lean.sdk.openbanking.Auth
import lean.sdk.openbanking.OpenBankingClient
import lean.sdk.openbanking.OpenBankingEnvironment
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * What a logger sees of a call: the core's events in order, through the `java.util.logging`
 * adapter; the request ids of every attempt on the result; and never a credential.
 */
class LoggingTest {
    private val gig = mapOf(
        "partnerUserId" to "uid_1", "totalAmount" to "15.00", "tips" to "3.00", "expenses" to "2.00",
        "description" to "Gig Payout", "gigId" to "gig_42", "startTime" to "2021-03-01T21:04:04",
        "endTime" to "2021-03-01T21:31:05",
    )
    private val stored = """{"id":"uid_1","partnerUserId":"uid_1","totalAmount":"15.00","tips":"3.00","expenses":"2.00",
        "description":"Gig Payout","gigId":"gig_42","startTime":"2021-03-01T21:04:04","endTime":"2021-03-01T21:31:05",
        "status":"PENDING"}"""

    /** Answers each request with the next scripted status and body, and `X-Request-Id: req-N`. */
    private class Scripted(private vararg val replies: Pair<Int, String>) : Transport {
        val sent = mutableListOf<String>()
        override suspend fun send(request: HttpRequest, timeoutMillis: Long): HttpResponse {
            sent += "${request.method} ${request.url.substringAfter("/api")}"
            val (status, body) = replies[sent.size - 1]
            return HttpResponse(status, listOf("X-Request-Id" to "req-${sent.size}"), body.toByteArray())
        }
    }

    /** The records a `java.util.logging` logger received, and their lines as its default formatter writes them. */
    private class Captured : Handler() {
        val records = mutableListOf<LogRecord>()
        override fun publish(record: LogRecord) {
            records += record
        }
        override fun flush() {}
        override fun close() {}
        fun lines(): String = records.joinToString("") { SimpleFormatter().format(it) }
    }

    @Test
    fun `a retried 503 and a lookup are logged in order, with every request id on the result`() = runBlocking<Unit> {
        val transport = Scripted(503 to "", 404 to "", 503 to "", 200 to stored)
        val jul = Logger.getLogger("lean.sdk.test.retried").apply { level = Level.ALL; useParentHandlers = false }
        val captured = Captured().also(jul::addHandler)
        val client = LeanClient("sk_test_key", Environment.SANDBOX, "http://127.0.0.1:9/api", transport, null, {}, LeanLogger.javaUtilLogging(jul))

        val (result, attempts) = withAttempts { client.createGig(gig) }

        assertEquals("gig_42", result.gigId)
        assertEquals(listOf("POST /gig", "GET /gig/gig_42", "POST /gig", "GET /gig/gig_42"), transport.sent)
        assertEquals(
            listOf(
                "attempt_sent", "answer_received", "lookup_started", "attempt_sent", "answer_received", "lookup_finished",
                "retry_scheduled", "attempt_sent", "answer_received", "lookup_started", "attempt_sent", "answer_received",
                "lookup_finished", "call_finished",
            ),
            captured.records.map { it.sourceMethodName },
        )
        val levels = captured.records.map { it.level }
        assertEquals(setOf(Level.FINE, Level.INFO), levels.toSet())
        assertEquals(Level.INFO, levels.last(), "the outcome is info")
        assertTrue(captured.records.all { it.loggerName == jul.name && it.message.isNotBlank() })
        assertEquals(listOf("req-1", "req-2", "req-3", "req-4"), attempts.map { it.requestId })
        assertEquals(listOf(503, 404, 503, 200), attempts.map { it.status })
        assertEquals(
            listOf(AttemptPhase.OPERATION, AttemptPhase.LOOKUP, AttemptPhase.OPERATION, AttemptPhase.LOOKUP),
            attempts.map { it.phase },
        )
        assertTrue(attempts.all { it.elapsedMillis != null && it.transportError == null })
        assertTrue("req-4" in captured.records.last().message, captured.records.last().message)
        println(captured.lines())
    }

    @Test
    fun `a failed call carries its attempts, and nothing is logged below the logger's level`() = runBlocking<Unit> {
        val jul = Logger.getLogger("lean.sdk.test.failed").apply { level = Level.INFO; useParentHandlers = false }
        val captured = Captured().also(jul::addHandler)
        val client = LeanClient("sk_test_key", Environment.SANDBOX, "http://127.0.0.1:9/api", Scripted(503 to "", 503 to ""), 1, {}, LeanLogger.javaUtilLogging(jul))

        val e = assertThrows<ServiceUnavailableException> { runBlocking { client.getGig("gig_42") } }

        assertEquals(listOf("req-1", "req-2"), e.attempts.map { it.requestId })
        assertEquals("req-2", e.requestId)
        assertEquals(listOf("retry_scheduled", "call_finished"), captured.records.map { it.sourceMethodName })
    }

    @Test
    fun `a logger that throws does not fail the call`() = runBlocking<Unit> {
        val broken = LeanLogger { throw IllegalStateException("broken logger") }
        val client = LeanClient("sk_test_key", Environment.SANDBOX, "http://127.0.0.1:9/api", Scripted(200 to stored), null, {}, broken)
        assertEquals("gig_42", client.getGig("gig_42").gigId)
    }

    @Test
    fun `no event holds the API key, a client secret or a token`() = runBlocking<Unit> {
        val apiKey = "sk_live_K3Y_never_logged"
        val captured = CapturedEvents()
        val payouts = LeanClient(apiKey, Environment.SANDBOX, "http://127.0.0.1:9/api", Scripted(503 to "", 404 to "", 401 to """{"message":"bad key"}"""), null, {}, captured)
        assertThrows<UnauthorizedException> { runBlocking { payouts.createGig(gig) } }

        val secret = "cl13nt_s3cret_never_logged"
        val tokens = listOf("tok_A_never_logged", "tok_B_never_logged")
        var fetched = 0
        var refused = false
        val lean = Transport { request, _ ->
            if (request.url.endsWith("/oauth2/token")) {
                val token = tokens[fetched++]
                HttpResponse(200, listOf("X-Request-Id" to "tok-$fetched"), """{"access_token":"$token","token_type":"Bearer","expires_in":3600}""".toByteArray())
            } else if (!refused) {
                refused = true
                HttpResponse(401, listOf("X-Request-Id" to "api-1"), """{"status":"UNAUTHORIZED","message":"expired"}""".toByteArray())
            } else {
                HttpResponse(200, listOf("X-Request-Id" to "api-2"), "[]".toByteArray())
            }
        }
        val env = OpenBankingEnvironment.custom("http://127.0.0.1:9", tokenBaseUrl = "http://127.0.0.1:9")
        val oauth = OpenBankingClient(Auth.clientCredentials("app-id", secret), env, null, lean, 0, 1, {}, System::currentTimeMillis, captured)
        oauth.listPaymentDestinations()
        val appToken = "app_t0ken_never_logged"
        val byAppToken = OpenBankingClient(Auth.appToken(appToken), env, null, Scripted(500 to "", 200 to "[]"), 1, 1, {}, System::currentTimeMillis, captured)
        byAppToken.listPaymentDestinations()

        val names = captured.events.map { it.name }
        assertTrue("token_fetch_started" in names && "token_fetched" in names && "token_rejected" in names, "$names")
        assertTrue("retry_scheduled" in names && "lookup_started" in names, "$names")
        val secrets = listOf(apiKey, secret, appToken) + tokens
        val encoded = secrets.map { Base64.getEncoder().encodeToString(it.toByteArray()) } +
            Base64.getEncoder().encodeToString("$apiKey:".toByteArray()) +
            Base64.getEncoder().encodeToString("app-id:$secret".toByteArray())
        for (event in captured.events) {
            for (text in listOf(event.name, event.message, event.json, event.toString())) {
                for (s in secrets + encoded) assertFalse(s in text, "$s in $text")
            }
        }
    }
}
